/**
 * A file that may be split into parts for removable media (`FILE.tar.000`, `FILE.tar.001`, …, like
 * Zarf's `--max-package-size`): read as one byte range across them, never loaded whole
 * (docs/air-gap.md, "Splitting a bundle").
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { ProvisioningError } from '@provisioning/schemas';

export interface FilePart {
  path: string;
  size: number;
}

const PART = /^(.*)\.(\d{3})$/;

/** The name of part `index` of `file`. */
export function partName(file: string, index: number): string {
  return `${file}.${String(index).padStart(3, '0')}`;
}

export class PartedFile {
  readonly size: number;

  private constructor(
    readonly name: string,
    readonly parts: readonly FilePart[],
  ) {
    this.size = parts.reduce((sum, part) => sum + part.size, 0);
  }

  /** `file` itself, or its parts `file.000`… (also when given `file.000`). */
  static async open(file: string): Promise<PartedFile> {
    const whole = await stat(file).catch(() => undefined);
    const match = PART.exec(file);
    if (whole?.isFile() && !match) return new PartedFile(file, [{ path: file, size: whole.size }]);
    const base = match ? (match[1] as string) : file;
    const names = await readdir(dirname(base)).catch(() => [] as string[]);
    const prefix = `${basename(base)}.`;
    const indexes = names
      .filter((n) => n.startsWith(prefix) && /^\d{3}$/.test(n.slice(prefix.length)))
      .map((n) => Number(n.slice(prefix.length)))
      .sort((a, b) => a - b);
    if (indexes.length === 0) {
      if (whole?.isFile()) return new PartedFile(file, [{ path: file, size: whole.size }]);
      throw new ProvisioningError('FILE_NOT_FOUND', `${file}: no such file`, {
        kind: 'input',
        hint: 'give the path of a bundle written by `provisioning bundle create` (or its first part, FILE.000)',
        details: { file },
      });
    }
    const missing = indexes.findIndex((value, i) => value !== i);
    if (missing !== -1) {
      throw new ProvisioningError('BUNDLE_INVALID', `${partName(base, missing)} is missing`, {
        kind: 'input',
        hint: 'copy every part of the bundle into the same directory',
        details: { file: base },
      });
    }
    const parts = await Promise.all(
      indexes.map(async (i) => {
        const path = join(dirname(base), `${prefix}${String(i).padStart(3, '0')}`);
        return { path, size: (await stat(path)).size };
      }),
    );
    return new PartedFile(base, parts);
  }

  /** `length` bytes at `start` (headers: small reads). */
  async read(start: number, length: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.stream(start, length)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** A stream of `length` bytes at `start`, across parts. */
  stream(start: number, length: number): Readable {
    const pieces: { path: string; start: number; end: number }[] = [];
    let offset = 0;
    for (const part of this.parts) {
      const from = Math.max(start, offset);
      const to = Math.min(start + length, offset + part.size);
      if (from < to) pieces.push({ path: part.path, start: from - offset, end: to - offset - 1 });
      offset += part.size;
    }
    if (pieces.length === 0) return Readable.from([]);
    const only = pieces.length === 1 ? pieces[0] : undefined;
    if (only)
      return createReadStream(only.path, { start: only.start, end: only.end, highWaterMark: 256 * 1024 });
    const out = new PassThrough({ highWaterMark: 256 * 1024 });
    (async () => {
      for (const piece of pieces) {
        const input = createReadStream(piece.path, {
          start: piece.start,
          end: piece.end,
          highWaterMark: 256 * 1024,
        });
        for await (const chunk of input) {
          if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
        }
      }
      out.end();
    })().catch((error: unknown) => out.destroy(error as Error));
    return out;
  }
}
