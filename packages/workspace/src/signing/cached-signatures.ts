/**
 * Signatures read through the pull cache: the signature manifest and its payloads are copied into
 * the cache (verified) and read there, so a later `--frozen` run re-verifies by the locked digest
 * without a network request (docs/signing.md, "Trust policy").
 */
import { type ContentTarget, copy, type OciLayout, signatureTag } from '@provisioning/oci-client';
import { ProvisioningError } from '@provisioning/schemas';
import { isNotFound } from '../repository/not-found-error.js';
import { readSignatures, type SignatureSet } from './signature-store.js';

export interface CachedSignatureOptions {
  cached: OciLayout;
  /** The remote repository; never called when offline or when the cache has what is asked. */
  remote: () => Promise<ContentTarget>;
  subjectDigest: string;
  /** A lockfile's accepted signature manifest. */
  signatureDigest?: string;
  offline?: boolean;
  /** For messages. */
  reference: string;
}

export async function cachedSignatures(options: CachedSignatureOptions): Promise<SignatureSet | undefined> {
  const { cached, subjectDigest, signatureDigest } = options;
  if (signatureDigest !== undefined && (await cached.blobSize(signatureDigest)) !== undefined) {
    return readSignatures(cached, { signatureDigest });
  }
  if (options.offline) {
    if (signatureDigest !== undefined) {
      throw new ProvisioningError(
        'CACHE_MISS',
        `offline: the signature ${signatureDigest} of ${options.reference} is not in the cache`,
        { kind: 'input', hint: 'run once without --offline to fill the cache, or remove --offline' },
      );
    }
    return readSignatures(cached, { subjectDigest });
  }
  const ref = signatureDigest ?? signatureTag(subjectDigest);
  try {
    await copy(await options.remote(), ref, cached, ref);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  return readSignatures(cached, signatureDigest ? { signatureDigest } : { subjectDigest });
}
