import { readFileSync } from 'node:fs';

/**
 * Files up to this size are read or written with one call instead of a stream. A stream per file
 * costs an open/read/close round trip through the thread pool each, and a read stream allocates a
 * whole high-water-mark buffer (256 KiB here) even for a 200-byte file: the dozens of small files
 * an extension holds cost more in buffers and garbage collection than in bytes.
 */
export const SMALL_FILE_BYTES = 256 * 1024;

/** The bytes of `file`, read with one synchronous call into a buffer of the file's own size. */
export function readSmallFile(file: string): Buffer {
  return readFileSync(file);
}
