/**
 * Hex sha256 of text or bytes, with `node:crypto` only: the light no-op path and the no-op answer
 * replay use it, and must load neither the registry client (whose `digestOf` gives `sha256:<hex>`)
 * nor the schemas.
 */
import { createHash } from 'node:crypto';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
