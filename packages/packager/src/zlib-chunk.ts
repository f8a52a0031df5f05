import { constants as zlibConstants } from 'node:zlib';

/**
 * What zlib is handed and hands back per call when packing and unpacking. Each call is a round trip
 * through the thread pool, so zlib's default 16 KiB output chunk made 64 of them per MiB: a pull of
 * 100 × 1 MiB extensions took 15 % less CPU and wall time with 64 or 256 KiB (docs/performance.md).
 */
export const ZLIB_CHUNK_BYTES = 256 * 1024;

/**
 * gunzip's output chunk for a layer of `compressedSize` bytes: zlib allocates a whole chunk up front,
 * so a layer of a few KiB keeps the default instead of 256 KiB of garbage per unpack.
 */
export function inflateChunkBytes(compressedSize: number | undefined): number {
  if (compressedSize === undefined) return zlibConstants.Z_DEFAULT_CHUNK;
  return Math.min(ZLIB_CHUNK_BYTES, Math.max(zlibConstants.Z_DEFAULT_CHUNK, compressedSize));
}
