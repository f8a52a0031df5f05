/**
 * `oci copy SRC DST`: copy a manifest and everything it references between registries and image
 * layouts (`oci-layout:PATH[:TAG]`), manifest bytes unchanged so the digest stays the same.
 * Without a destination tag the source tag is reused (or the digest recorded, for digest sources).
 */
import { type CopyProgressEvent, copy } from '@provisioning/oci-client';
import { ProvisioningError } from '@provisioning/schemas';
import { copySignatures } from '../signing/copy-signatures.js';
import { formatOpenedReference, type OciSession } from './oci-session.js';

export interface CopyArtifactOptions {
  /** Also copy signatures, SBOMs and other referrers. */
  referrers?: boolean;
  /** Carry the cosign signatures (`.sig` tag, signature referrers); default true. */
  signatures?: boolean;
  onProgress?(event: CopyProgressEvent): void;
}

export interface CopyArtifactResult {
  source: string;
  destination: string;
  digest: string;
  mediaType: string;
  size: number;
  /** The signature manifest copied along (`sha256-<hex>.sig`), if there was one. */
  signatureDigest?: string;
}

export async function copyArtifact(
  session: OciSession,
  sourceInput: string,
  destinationInput: string,
  options: CopyArtifactOptions = {},
): Promise<CopyArtifactResult> {
  const source = await session.open(sourceInput);
  if (!source.reference) {
    throw new ProvisioningError(
      'COPY_SOURCE_UNVERSIONED',
      `source ${JSON.stringify(sourceInput)} names no tag or digest`,
      {
        kind: 'usage',
        hint: 'name the source version: NAME:VERSION, REGISTRY/NS/NAME:TAG or oci-layout:PATH:TAG',
      },
    );
  }
  const destination = await session.open(destinationInput, { create: true });
  const dstRef = destination.reference ?? source.reference;
  const root = await copy(source.target, source.reference, destination.target, dstRef, {
    ...(options.referrers ? { referrers: true } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  // with --referrers the signature referrers came along already; the .sig tag is not a referrer
  const signatures =
    options.signatures === false
      ? undefined
      : await copySignatures(source.target, destination.target, root.digest, {
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        });
  return {
    source: formatOpenedReference(source, source.reference),
    destination: formatOpenedReference(destination, dstRef),
    digest: root.digest,
    mediaType: root.mediaType,
    size: root.size,
    ...(signatures?.signatureDigest ? { signatureDigest: signatures.signatureDigest } : {}),
  };
}
