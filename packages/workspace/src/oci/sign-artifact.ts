/**
 * `oci sign REF --key FILE`: sign the manifest digest REF resolves to, in cosign's format
 * (docs/signing.md): the payload names the repository and the digest, the signature goes into the
 * `sha256-<hex>.sig` manifest next to any signatures already there.
 */
import type { KeyObject } from 'node:crypto';
import { signManifest } from '../signing/sign-manifest.js';
import type { OciSession } from './oci-session.js';
import { openSignedSubject } from './signed-subject.js';

export interface SignArtifactOptions {
  key: KeyObject;
  /** Free-form `optional` annotations in the payload. */
  annotations?: Record<string, string>;
  /** Repository identity for a bare `oci-layout:` target. */
  identity?: string;
}

export interface SignArtifactResult {
  reference: string;
  digest: string;
  /** Set when a tag was resolved to `digest` before signing. */
  resolvedTag?: string;
  /** Where the signature is: `host/ns/name:sha256-<hex>.sig`. */
  signatureReference: string;
  signatureDigest: string;
  /** Signatures on the artifact now (this one included). */
  signatures: number;
  /** The referrer manifest digest, where the storage lists referrers. */
  referrerDigest?: string;
  /** The same signature was already there. */
  unchanged: boolean;
  /** Registry endpoint or storage path the signature went to. */
  location: string;
}

export async function signArtifact(
  session: OciSession,
  input: string,
  options: SignArtifactOptions,
): Promise<SignArtifactResult> {
  const subject = await openSignedSubject(session, input, {
    command: 'sign',
    ...(options.identity ? { identity: options.identity } : {}),
  });
  const signed = await signManifest(subject.opened.target, subject.descriptor, {
    key: options.key,
    identity: subject.identity,
    name: subject.opened.name,
    ...(options.annotations ? { annotations: options.annotations } : {}),
  });
  return {
    reference: subject.reference,
    digest: subject.descriptor.digest,
    ...(subject.resolvedTag ? { resolvedTag: subject.resolvedTag } : {}),
    signatureReference: signed.reference,
    signatureDigest: signed.digest,
    signatures: signed.count,
    ...(signed.referrerDigest ? { referrerDigest: signed.referrerDigest } : {}),
    unchanged: signed.unchanged,
    location: subject.opened.target.location,
  };
}
