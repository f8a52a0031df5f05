/**
 * Hand-rolled ustar writer for the hostile corpus: unlike a real packer it writes whatever it is
 * told (escaping names, links, devices, lying sizes, duplicates), which is the point.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface RawEntry {
  name: string;
  /** ustar typeflag: '0' file, '1' hardlink, '2' symlink, '3' char dev, '4' block dev, '5' dir, '6' fifo, 'x' pax. */
  typeflag?: string;
  content?: Buffer | string;
  /** Size written into the header (defaults to the content length): lets a test lie about it. */
  declaredSize?: number;
  linkname?: string;
  mode?: number;
}

export function rawHeader(entry: RawEntry, size: number): Buffer {
  const header = Buffer.alloc(512);
  const name = Buffer.from(entry.name, 'utf8');
  if (name.length > 100) throw new Error(`test name too long: ${entry.name}`);
  name.copy(header, 0);
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0');
  header.write(octal(entry.mode ?? (entry.typeflag === '5' ? 0o755 : 0o644), 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii');
  header.write(octal(0, 8), 116, 'ascii');
  header.write(octal(size, 12), 124, 'ascii');
  header.write(octal(0, 12), 136, 'ascii');
  header.write(entry.typeflag ?? '0', 156, 'ascii');
  if (entry.linkname) Buffer.from(entry.linkname, 'utf8').copy(header, 157);
  header.write('ustar\u0000', 257, 'ascii');
  header.write('00', 263, 'ascii');
  header.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'ascii');
  return header;
}

/** An uncompressed tar of `entries` (content padded to 512), with the two zero end blocks. */
export function rawTar(entries: RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const content = Buffer.from(entry.content ?? '');
    parts.push(rawHeader(entry, entry.declaredSize ?? content.length), content);
    const padding = (512 - (content.length % 512)) % 512;
    parts.push(Buffer.alloc(padding));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A pax extended header block that sets `path` for the next entry. */
export function paxPath(path: string): RawEntry {
  const record = (key: string, value: string) => {
    const body = ` ${key}=${value}\n`;
    let length = body.length + 2;
    while (`${length}${body}`.length !== length) length += 1;
    return `${length}${body}`;
  };
  return { name: 'PaxHeader', typeflag: 'x', content: record('path', path) };
}

export function sha256Hex(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The oci-manifest.json a real packer would write for these regular files. */
export function ociManifestFor(files: { name: string; content: Buffer | string }[]): RawEntry {
  const body = {
    name: 'hostile',
    version: '1.0.0',
    type: 'taskserv',
    files: files.map((f) => ({
      path: f.name,
      size: Buffer.from(f.content).length,
      sha256: sha256Hex(f.content),
    })),
  };
  return { name: 'oci-manifest.json', content: JSON.stringify(body) };
}

export function gzipTar(entries: RawEntry[]): Buffer {
  return gzipSync(rawTar(entries));
}

export function sha256Digest(content: Buffer): string {
  return `sha256:${sha256Hex(content)}`;
}
