/**
 * The signatures `oci inspect` shows: what each cosign signature layer claims (identity, digest,
 * annotations), without judging keys — that is `oci verify`'s job.
 */
import { type ContentTarget, parsePayload, signatureTag } from '@provisioning/oci-client';
import { readSignatures } from '../signing/signature-store.js';

export interface ListedSignature {
  layerDigest: string;
  /** The payload's identity and digest; null when the payload is malformed. */
  identity: string | null;
  signedDigest: string | null;
  annotations: Record<string, string>;
}

export interface SignatureListing {
  tag: string;
  digest: string;
  signatures: ListedSignature[];
}

export async function listSignatures(
  target: ContentTarget,
  subjectDigest: string,
): Promise<SignatureListing | null> {
  const set = await readSignatures(target, { subjectDigest });
  if (!set) return null;
  return {
    tag: signatureTag(subjectDigest),
    digest: set.descriptor.digest,
    signatures: set.entries.map((entry) => {
      try {
        const payload = parsePayload(entry.payload, entry.layer.digest);
        return {
          layerDigest: entry.layer.digest,
          identity: payload.dockerReference,
          signedDigest: payload.manifestDigest,
          annotations: payload.annotations,
        };
      } catch {
        return { layerDigest: entry.layer.digest, identity: null, signedDigest: null, annotations: {} };
      }
    }),
  };
}
