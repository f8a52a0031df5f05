import type { Readable } from 'node:stream';

/**
 * A whole stream into memory, refusing more than `limit` bytes: the one capped read of the
 * project, for the small documents that are parsed whole (manifests, listings, config blobs, error
 * bodies). Past the limit the stream is destroyed and `tooLarge()` thrown (a `RangeError` unless
 * the caller names its own error).
 */
export async function readCappedBytes(
  stream: Readable,
  limit: number,
  tooLarge: () => Error = () => new RangeError(`response larger than ${limit} bytes`),
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    total += buffer.length;
    if (total > limit) {
      stream.destroy();
      throw tooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}
