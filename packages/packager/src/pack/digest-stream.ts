import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readSmallFile, SMALL_FILE_BYTES } from '../small-file.js';

/** Passes bytes through unchanged while hashing and counting them. */
export class DigestStream extends Transform {
  private readonly hash: Hash;
  readonly algorithm: 'sha256' | 'sha512';
  bytes = 0;

  constructor(algorithm: 'sha256' | 'sha512' = 'sha256') {
    super();
    this.algorithm = algorithm;
    this.hash = createHash(algorithm);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  /** `sha256:<hex>`; call once, after the stream ended. */
  digest(): string {
    return `${this.algorithm}:${this.hash.digest('hex')}`;
  }
}

/**
 * sha256 hex and size of a file: read with one call when `sizeHint` (what a walk just saw) says it
 * is small, streamed otherwise. The size returned is always what was read.
 */
export async function hashFile(file: string, sizeHint?: number): Promise<{ sha256: string; size: number }> {
  if (sizeHint !== undefined && sizeHint <= SMALL_FILE_BYTES) {
    const bytes = readSmallFile(file);
    return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
  }
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(createReadStream(file), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.length;
    }
  });
  return { sha256: hash.digest('hex'), size };
}

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
