import { ProvisioningError } from './errors.js';

/** Digest algorithms the project verifies; anything else is refused before it reaches a URL or path. */
export type DigestAlgorithm = 'sha256' | 'sha512';

export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  hex: string;
}

const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

// The OCI image-spec digest grammar: algorithm components joined by + . _ -, then `:` and the encoded part.
const DIGEST_SHAPE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Why `digest` is not a valid sha256/sha512 digest, or `null` when it is. */
export function digestProblem(digest: string): string | null {
  if (digest === '') return 'empty digest';
  const colon = digest.indexOf(':');
  if (colon === -1) return 'digest must be "algorithm:hex" (no ":" found)';
  if (!DIGEST_SHAPE.test(digest)) return 'digest must be "algorithm:hex" with a lowercase algorithm';
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  if (algorithm !== 'sha256' && algorithm !== 'sha512') {
    return `unsupported digest algorithm "${algorithm}" (only sha256 and sha512)`;
  }
  const expected = HEX_LENGTH[algorithm];
  if (!/^[0-9a-fA-F]+$/.test(hex)) return `${algorithm} digest must be hexadecimal`;
  if (hex.length !== expected) {
    return `${algorithm} digest needs ${expected} hex characters, got ${hex.length}`;
  }
  if (hex !== hex.toLowerCase()) return `${algorithm} digest hex must be lowercase`;
  return null;
}

export function isValidDigest(digest: string): boolean {
  return digestProblem(digest) === null;
}

/** Splits a digest after validating it; throws `DIGEST_INVALID` (kind input) with the reason. */
export function parseDigest(digest: string): ParsedDigest {
  const problem = digestProblem(digest);
  if (problem !== null) {
    throw new ProvisioningError('DIGEST_INVALID', `invalid digest ${JSON.stringify(digest)}: ${problem}`, {
      kind: 'input',
      hint: 'a digest looks like sha256:<64 lowercase hex characters> or sha512:<128>',
      details: { digest },
    });
  }
  const colon = digest.indexOf(':');
  return { algorithm: digest.slice(0, colon) as DigestAlgorithm, hex: digest.slice(colon + 1) };
}
