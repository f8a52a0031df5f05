/** Read a small document (a config blob) from a stream, refusing more than `limit` bytes. */
import type { Readable } from 'node:stream';
import { ProvisioningError } from '@provisioning/schemas';

export async function readCappedStream(stream: Readable, limit: number, where: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    total += buf.length;
    if (total > limit) {
      stream.destroy();
      throw new ProvisioningError('BLOB_TOO_LARGE', `${where} is larger than ${limit} bytes`, {
        kind: 'registry',
        hint: 'this is not a provisioning extension config; check the reference',
      });
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
