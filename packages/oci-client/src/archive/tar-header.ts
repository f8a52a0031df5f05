/**
 * ustar headers, written the same way every time (docs/air-gap.md, "The bundle format"): mode
 * 0644 (0755 for directories), uid/gid 0, mtime 0, no user names, so an archive's bytes depend on
 * its content only. Sizes past the 8 GiB of octal use the base-256 form GNU tar and Go read.
 */
import { ProvisioningError } from '@provisioning/schemas';

export const BLOCK = 512;

export interface TarEntryHeader {
  name: string;
  size: number;
  type: 'file' | 'directory' | 'pax' | 'other';
}

export function encodeHeader(name: string, size: number, type: 'file' | 'directory'): Buffer {
  const block = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name longer than 100 bytes: ${name}`);
  block.write(name, 0, 100, 'utf8');
  writeOctal(block, 100, 8, type === 'directory' ? 0o755 : 0o644);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeSize(block, type === 'directory' ? 0 : size);
  writeOctal(block, 136, 12, 0);
  block.write(type === 'directory' ? '5' : '0', 156, 1, 'ascii');
  block.write('ustar\u000000', 257, 8, 'ascii');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return block;
}

/** Zero bytes that pad an entry of `size` bytes to the next block. */
export function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest);
}

/** undefined for an all-zero block (the end of the archive). */
export function decodeHeader(block: Buffer, where: string): TarEntryHeader | undefined {
  if (block.every((byte) => byte === 0)) return undefined;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] as number);
  const recorded = Number.parseInt(block.toString('ascii', 148, 156).replace(/[\0 ]+/g, ''), 8);
  if (recorded !== sum) throw corrupt(where, 'a tar header fails its checksum');
  const cString = (start: number, length: number) => {
    const raw = block.subarray(start, start + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end === -1 ? length : end).toString('utf8');
  };
  const prefix = block.toString('ascii', 257, 262) === 'ustar' ? cString(345, 155) : '';
  const name = prefix ? `${prefix}/${cString(0, 100)}` : cString(0, 100);
  const flag = String.fromCharCode(block[156] as number);
  const type =
    flag === '0' || flag === '\0' ? 'file' : flag === '5' ? 'directory' : flag === 'x' ? 'pax' : 'other';
  return { name, size: readSize(block, where), type };
}

export function corrupt(where: string, why: string): ProvisioningError {
  return new ProvisioningError('BUNDLE_INVALID', `${where} is not a valid bundle: ${why}`, {
    kind: 'input',
    hint: 'create it again with `provisioning bundle create`; for a split bundle give the first part with all parts beside it',
    details: { file: where },
  });
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii');
}

function writeSize(block: Buffer, size: number): void {
  if (size < 0o77777777777) {
    writeOctal(block, 124, 12, size);
    return;
  }
  block[124] = 0x80;
  let rest = BigInt(size);
  for (let i = 135; i > 124; i--) {
    block[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

function readSize(block: Buffer, where: string): number {
  if (((block[124] as number) & 0x80) !== 0) {
    let value = 0n;
    for (let i = 125; i < 136; i++) value = (value << 8n) | BigInt(block[i] as number);
    return Number(value);
  }
  const text = block.toString('ascii', 124, 136).replace(/[\0 ]+/g, '');
  const size = text === '' ? 0 : Number.parseInt(text, 8);
  if (!Number.isSafeInteger(size) || size < 0 || !/^[0-7]*$/.test(text)) {
    throw corrupt(where, 'a tar header has an invalid size');
  }
  return size;
}
