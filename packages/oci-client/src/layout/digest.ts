/**
 * Digest checks for everything that turns a digest into a file path. Only the algorithms the
 * image-spec registers (sha256, sha512) are accepted, with their exact lowercase hex length, so a
 * digest can never smuggle `/`, `..` or an unexpected file name into `blobs/<alg>/<hex>`.
 */
import { createHash, type Hash } from 'node:crypto';
import { ProvisioningError } from '@provisioning/schemas';

const HEX_LENGTH: Record<string, number> = { sha256: 64, sha512: 128 };

export interface ParsedDigest {
  algorithm: 'sha256' | 'sha512';
  hex: string;
}

export function isSupportedDigest(digest: unknown): boolean {
  if (typeof digest !== 'string') return false;
  const colon = digest.indexOf(':');
  if (colon < 0) return false;
  const length = HEX_LENGTH[digest.slice(0, colon)];
  const hex = digest.slice(colon + 1);
  return length !== undefined && hex.length === length && /^[0-9a-f]+$/.test(hex);
}

/** Parse `algorithm:hex`, throwing `DIGEST_INVALID` (naming `where`) when it is not usable. */
export function parseSupportedDigest(digest: unknown, where: string): ParsedDigest {
  if (typeof digest !== 'string' || !isSupportedDigest(digest)) {
    const shown = typeof digest === 'string' ? JSON.stringify(digest.slice(0, 80)) : typeof digest;
    throw new ProvisioningError('DIGEST_INVALID', `invalid digest ${shown} in ${where}`, {
      kind: 'input',
      hint: 'digests must be sha256:<64 lowercase hex> or sha512:<128 lowercase hex>',
      details: { where },
    });
  }
  const colon = digest.indexOf(':');
  return { algorithm: digest.slice(0, colon) as ParsedDigest['algorithm'], hex: digest.slice(colon + 1) };
}

export function createDigestHash(algorithm: ParsedDigest['algorithm']): Hash {
  return createHash(algorithm);
}

export function digestOf(bytes: Uint8Array, algorithm: ParsedDigest['algorithm'] = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}
