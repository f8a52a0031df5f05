/**
 * A registry (or a proxy in front of it) served, or an upload body carried, content that is not
 * what its descriptor says: always `DIGEST_MISMATCH`, kind registry, whether the size or the hash
 * is off (a truncated or padded body is the same failure to the user).
 */

import { RegistryError } from '../http/errors.js';
import type { Mismatch } from '../layout/verify-stream.js';

export function receivedContentError(mismatch: Mismatch): RegistryError {
  const { expected, where } = mismatch;
  const why =
    mismatch.kind === 'digest'
      ? `content hashes to ${mismatch.actual}`
      : mismatch.received > (expected.size ?? 0)
        ? `more than the expected ${expected.size} bytes`
        : `${mismatch.received} bytes instead of ${expected.size}`;
  return new RegistryError(
    'DIGEST_MISMATCH',
    `${where}: content does not match ${expected.digest} (${why})`,
    {
      hint: 'the registry or a proxy served corrupted or tampered content; nothing was kept — retry or contact the registry operator',
      details: { digest: expected.digest, source: where },
    },
  );
}
