/** Read a small document (a config blob) from a stream, refusing more than `limit` bytes. */
import type { Readable } from 'node:stream';
import { readCappedBytes } from '@provisioning/oci-client';
import { ProvisioningError } from '@provisioning/schemas';

export function readCappedStream(stream: Readable, limit: number, where: string): Promise<Buffer> {
  return readCappedBytes(stream, limit, () => blobTooLarge(where, limit));
}

/** BLOB_TOO_LARGE for a document at `where` over `limit` bytes. */
export function blobTooLarge(where: string, limit: number): ProvisioningError {
  return new ProvisioningError('BLOB_TOO_LARGE', `${where} is larger than ${limit} bytes`, {
    hint: 'this is not a provisioning extension config; check the reference',
  });
}
