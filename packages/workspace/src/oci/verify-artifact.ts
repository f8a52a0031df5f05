/**
 * `oci verify REF --key PUB`: is there a signature by one of these keys for the digest REF resolves
 * to, naming this repository (docs/signing.md, "What is verified")? Throws the reason otherwise.
 */
import { type AcceptedSignature, checkSignatures, type TrustedKey } from '../signing/check-signatures.js';
import { readSignatures } from '../signing/signature-store.js';
import type { OciSession } from './oci-session.js';
import { openSignedSubject } from './signed-subject.js';

export interface VerifyArtifactResult extends AcceptedSignature {
  reference: string;
  digest: string;
  resolvedTag?: string;
  location: string;
}

export async function verifyArtifact(
  session: OciSession,
  input: string,
  options: { keys: TrustedKey[]; identity?: string },
): Promise<VerifyArtifactResult> {
  const subject = await openSignedSubject(session, input, {
    command: 'verify',
    ...(options.identity ? { identity: options.identity } : {}),
  });
  const set = await readSignatures(subject.opened.target, { subjectDigest: subject.descriptor.digest });
  const accepted = checkSignatures(
    set,
    { reference: subject.reference, digest: subject.descriptor.digest, repository: subject.identity },
    options.keys,
  );
  return {
    reference: subject.reference,
    digest: subject.descriptor.digest,
    ...(subject.resolvedTag ? { resolvedTag: subject.resolvedTag } : {}),
    location: subject.opened.target.location,
    ...accepted,
  };
}
