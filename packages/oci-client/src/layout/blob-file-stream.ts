import { createReadStream, type ReadStream } from 'node:fs';

/** Read size for blob files: a quarter of the syscalls and thread-pool round trips of Node's 64 KiB. */
export const BLOB_READ_CHUNK_BYTES = 256 * 1024;

/**
 * A read stream over a blob file of `size` bytes (when known): 256 KiB reads, or reads of the
 * file's own size when it is smaller. A read stream allocates a whole high-water-mark buffer for
 * every read, so a 300-byte config blob read with 256 KiB reads cost two 256 KiB buffers.
 */
export function openBlobFile(path: string, size?: number): ReadStream {
  const highWaterMark =
    size === undefined ? BLOB_READ_CHUNK_BYTES : Math.max(1, Math.min(BLOB_READ_CHUNK_BYTES, size));
  return createReadStream(path, { highWaterMark });
}
