/**
 * Digest checks for everything that turns a digest into a file path, on top of the schemas
 * package's validator (sha256/sha512 with exact lowercase hex length only), so a digest can never
 * smuggle `/`, `..` or an unexpected file name into `blobs/<alg>/<hex>`.
 */
import { createHash, type Hash } from 'node:crypto';
import {
  type DigestAlgorithm,
  digestProblem,
  type ParsedDigest,
  ProvisioningError,
} from '@provisioning/schemas';

export function isSupportedDigest(digest: unknown): boolean {
  return typeof digest === 'string' && digestProblem(digest) === null;
}

/** Parse `algorithm:hex`, throwing `DIGEST_INVALID` that names `where` when it is not usable. */
export function parseSupportedDigest(digest: unknown, where: string): ParsedDigest {
  const problem =
    typeof digest === 'string' ? digestProblem(digest) : `digest is ${typeof digest}, not a string`;
  if (problem !== null) {
    const shown = typeof digest === 'string' ? JSON.stringify(digest.slice(0, 80)) : typeof digest;
    throw new ProvisioningError('DIGEST_INVALID', `invalid digest ${shown} in ${where}: ${problem}`, {
      kind: 'input',
      hint: 'digests must be sha256:<64 lowercase hex> or sha512:<128 lowercase hex>',
      details: { where },
    });
  }
  const text = digest as string;
  const colon = text.indexOf(':');
  return { algorithm: text.slice(0, colon) as DigestAlgorithm, hex: text.slice(colon + 1) };
}

export function createDigestHash(algorithm: DigestAlgorithm): Hash {
  return createHash(algorithm);
}

/** Hash of `bytes` in the given algorithm, as `algorithm:hex` (the one `digestOf`). */
export function digestOf(bytes: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}
