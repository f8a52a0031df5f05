/** Sign one manifest in a target: build the payload, sign it, add it to the `.sig` manifest. */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { buildPayload, type ContentTarget, type Descriptor, signPayload } from '@provisioning/oci-client';
import { type WrittenSignature, writeSignature } from './signature-store.js';

export interface SignManifestOptions {
  key: KeyObject;
  /** The docker-reference the payload names: `host/ns/name`. */
  identity: string;
  /** How the repository is printed (`host/ns/name`, `oci-layout:PATH`), for the signature reference. */
  name: string;
  annotations?: Record<string, string>;
}

export interface SignedManifest {
  /** `NAME:sha256-<hex>.sig`. */
  reference: string;
  digest: string;
  count: number;
  referrerDigest?: string;
  unchanged: boolean;
}

export async function signManifest(
  target: ContentTarget,
  subject: Descriptor,
  options: SignManifestOptions,
): Promise<SignedManifest> {
  const payload = buildPayload({
    dockerReference: options.identity,
    manifestDigest: subject.digest,
    annotations: options.annotations ?? {},
  });
  const written: WrittenSignature = await writeSignature(
    target,
    subject,
    payload,
    signPayload(options.key, payload),
    createPublicKey(options.key),
  );
  return {
    reference: `${options.name}:${written.tag}`,
    digest: written.descriptor.digest,
    count: written.count,
    ...(written.referrer ? { referrerDigest: written.referrer.digest } : {}),
    unchanged: written.unchanged,
  };
}
