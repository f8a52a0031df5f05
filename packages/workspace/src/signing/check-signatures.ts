/**
 * Which signature of a set, if any, a trusted key made for this digest in this repository
 * (docs/signing.md, "What is verified"). The checks, per signature layer: the ECDSA signature over
 * the payload bytes verifies with one of the keys; the payload parses; its manifest digest is the
 * artifact's; its identity names the same `namespace/name` (the registry host is not compared, so
 * mirrors and air-gapped copies verify). A refusal says which check failed, with one code each.
 */
import type { KeyObject } from 'node:crypto';
import { parsePayload, repositoryPath, verifyPayload } from '@provisioning/oci-client';
import { ProvisioningError } from '@provisioning/schemas';
import type { SignatureEntry, SignatureSet } from './signature-store.js';

export interface TrustedKey {
  /** The file it came from, for messages. */
  file: string;
  key: KeyObject;
}

export interface SignatureSubject {
  /** What the user named, for messages (`host/ns/name:tag`). */
  reference: string;
  /** The manifest digest that must be signed. */
  digest: string;
  /** `namespace/name` (or `host/namespace/name`; the host is ignored). */
  repository: string;
}

export interface AcceptedSignature {
  /** The signature manifest holding the accepted layer. */
  signatureDigest: string;
  /** The payload layer that verified. */
  layerDigest: string;
  keyFile: string;
  /** The payload's `optional` annotations. */
  annotations: Record<string, string>;
  /** The identity the payload names. */
  dockerReference: string;
}

type Failure =
  | 'SIGNATURE_KEY_MISMATCH'
  | 'SIGNATURE_PAYLOAD_INVALID'
  | 'SIGNATURE_DIGEST_MISMATCH'
  | 'SIGNATURE_IDENTITY_MISMATCH';
/** When several signatures fail differently, the most specific reason is reported. */
const PRIORITY: Failure[] = [
  'SIGNATURE_IDENTITY_MISMATCH',
  'SIGNATURE_DIGEST_MISMATCH',
  'SIGNATURE_PAYLOAD_INVALID',
  'SIGNATURE_KEY_MISMATCH',
];

/** The accepted signature, or a `ProvisioningError` naming the reference, the digest and why. */
export function checkSignatures(
  set: SignatureSet | undefined,
  subject: SignatureSubject,
  keys: TrustedKey[],
): AcceptedSignature {
  const base = { reference: subject.reference, digest: subject.digest };
  if (!set || set.entries.length === 0) {
    throw new ProvisioningError(
      'SIGNATURE_NOT_FOUND',
      `${subject.reference} (${subject.digest}) has no signature`,
      {
        kind: 'input',
        hint: 'sign it: `provisioning oci sign REF --key KEY` (or publish with --sign-key)',
        details: base,
      },
    );
  }
  const wanted = repositoryPath(subject.repository);
  const failures: { code: Failure; detail: string }[] = [];
  for (const entry of set.entries) {
    const outcome = checkEntry(entry, subject.digest, wanted, keys, set.descriptor.digest);
    if ('accepted' in outcome) return outcome.accepted;
    failures.push(outcome);
  }
  const worst = PRIORITY.map((code) => failures.find((f) => f.code === code)).find((f) => f !== undefined)!;
  const count = set.entries.length;
  return thrown(worst, subject, count, keys, set.descriptor.digest);
}

function checkEntry(
  entry: SignatureEntry,
  digest: string,
  repository: string,
  keys: TrustedKey[],
  signatureDigest: string,
): { accepted: AcceptedSignature } | { code: Failure; detail: string } {
  const signer = keys.find((k) => verifyPayload(k.key, entry.payload, entry.signature));
  if (!signer) return { code: 'SIGNATURE_KEY_MISMATCH', detail: '' };
  let payload: ReturnType<typeof parsePayload>;
  try {
    payload = parsePayload(entry.payload, entry.layer.digest);
  } catch (error) {
    return { code: 'SIGNATURE_PAYLOAD_INVALID', detail: (error as Error).message };
  }
  if (payload.manifestDigest !== digest) {
    return { code: 'SIGNATURE_DIGEST_MISMATCH', detail: `it signs ${payload.manifestDigest}` };
  }
  if (repositoryPath(payload.dockerReference) !== repository) {
    return { code: 'SIGNATURE_IDENTITY_MISMATCH', detail: `it was made for ${payload.dockerReference}` };
  }
  return {
    accepted: {
      signatureDigest,
      layerDigest: entry.layer.digest,
      keyFile: signer.file,
      annotations: payload.annotations,
      dockerReference: payload.dockerReference,
    },
  };
}

function thrown(
  failure: { code: Failure; detail: string },
  subject: SignatureSubject,
  count: number,
  keys: TrustedKey[],
  signatureDigest: string,
): never {
  const what = `${subject.reference} (${subject.digest})`;
  const keyNames = keys.map((k) => k.file).join(', ');
  const messages: Record<Failure, string> = {
    SIGNATURE_KEY_MISMATCH: `${what}: none of its ${count} signature(s) was made by ${keyNames}`,
    SIGNATURE_PAYLOAD_INVALID: `${what}: the signature by a trusted key has a malformed payload (${failure.detail})`,
    SIGNATURE_DIGEST_MISMATCH: `${what}: the signature by a trusted key is for another digest (${failure.detail})`,
    SIGNATURE_IDENTITY_MISMATCH: `${what}: the signature by a trusted key is for another repository (${failure.detail}, not ${repositoryPath(subject.repository)})`,
  };
  const hints: Record<Failure, string> = {
    SIGNATURE_KEY_MISMATCH: 'check the public key, or have the artifact signed with the matching private key',
    SIGNATURE_PAYLOAD_INVALID: 'sign the artifact again with `provisioning oci sign`',
    SIGNATURE_DIGEST_MISMATCH:
      'the tag now points at other content than was signed; sign the new digest or pin the signed one',
    SIGNATURE_IDENTITY_MISMATCH:
      'a signature was copied from another repository; sign this artifact in its own repository',
  };
  throw new ProvisioningError(failure.code, messages[failure.code], {
    kind: 'input',
    hint: hints[failure.code],
    details: { reference: subject.reference, digest: subject.digest, signature: signatureDigest },
  });
}
