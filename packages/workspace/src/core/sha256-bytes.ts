import { createHash } from 'node:crypto';

/** `sha256:<hex>` of small in-memory bytes (config blobs, manifests). */
export function sha256Bytes(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
