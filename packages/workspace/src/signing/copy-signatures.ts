/**
 * Copies keep signatures (docs/signing.md, "Copies and mirrors"): after an artifact is copied, its
 * `sha256-<hex>.sig` manifest and its cosign signature referrers follow, bytes unchanged, so
 * `oci verify` and a `verify` policy work on the mirror or the air-gapped layout too.
 */
import {
  type ContentTarget,
  type CopyOptions,
  copy,
  type Descriptor,
  SIGNATURE_ARTIFACT_TYPE,
  signatureTag,
} from '@provisioning/oci-client';
import { isNotFound } from '../repository/not-found-error.js';

interface ReferrerLister {
  referrers?(subject: string): Promise<Descriptor[]>;
}

export interface CopiedSignatures {
  /** The `.sig` manifest copied, if the source had one. */
  signatureDigest?: string;
  /** Signature referrers copied. */
  referrers: string[];
}

export async function copySignatures(
  src: ContentTarget,
  dst: ContentTarget,
  subjectDigest: string,
  options: Pick<CopyOptions, 'onProgress'> = {},
): Promise<CopiedSignatures> {
  const tag = signatureTag(subjectDigest);
  const copied: CopiedSignatures = { referrers: [] };
  try {
    copied.signatureDigest = (await copy(src, tag, dst, tag, options)).digest;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const lister = src as ContentTarget & ReferrerLister;
  if (typeof lister.referrers === 'function') {
    const listed = await lister.referrers(subjectDigest).catch((error: unknown) => {
      if (isNotFound(error)) return [];
      throw error;
    });
    for (const referrer of listed) {
      if (referrer.artifactType !== SIGNATURE_ARTIFACT_TYPE) continue;
      await copy(src, referrer.digest, dst, referrer.digest, options);
      copied.referrers.push(referrer.digest);
    }
  }
  return copied;
}
