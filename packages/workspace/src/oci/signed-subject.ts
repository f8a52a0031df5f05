/**
 * What `oci sign` and `oci verify` work on: the manifest a reference resolves to (a tag is resolved
 * to its digest first), the storage it lives in, and the repository identity a signature names.
 */
import type { Descriptor } from '@provisioning/oci-client';
import { isValidDigest, ProvisioningError } from '@provisioning/schemas';
import { whenFound } from './not-found.js';
import { formatOpenedReference, type OciSession, type OpenedTarget } from './oci-session.js';
import { readManifest } from './read-manifest.js';
import { withVersionTagFallback } from './version-tag-fallback.js';

export interface SignedSubject {
  opened: OpenedTarget;
  /** `host/ns/name:tag` or `…@sha256:…`, as resolved. */
  reference: string;
  descriptor: Descriptor;
  /** The tag that was resolved to the digest (undefined when a digest was given). */
  resolvedTag?: string;
  /** `host/ns/name` — the docker-reference a signature names. */
  identity: string;
}

export async function openSignedSubject(
  session: OciSession,
  input: string,
  options: { identity?: string; command: 'sign' | 'verify' },
): Promise<SignedSubject> {
  // a signature goes upstream, over the digest the upstream holds; verifying may read mirrors
  const opened = await session.open(input, { mirrors: options.command === 'verify' });
  if (!opened.reference) {
    throw new ProvisioningError(
      'REFERENCE_NEEDS_VERSION',
      `${JSON.stringify(input)} names no version or digest`,
      {
        kind: 'usage',
        hint: `name what to ${options.command}: NAME:VERSION or NAME@sha256:<hex>`,
      },
    );
  }
  const identity =
    options.identity ?? (opened.parsed ? `${opened.parsed.registry}/${opened.parsed.repository}` : undefined);
  if (identity === undefined) {
    throw new ProvisioningError(
      'SIGNATURE_IDENTITY_REQUIRED',
      `${input} is an image layout, which has no repository name`,
      {
        kind: 'usage',
        hint: 'pass --identity NAMESPACE/NAME: the repository the artifact is published as',
      },
    );
  }
  const asked = opened.reference;
  const { tag, value } = await whenFound(session, opened, asked, () =>
    withVersionTagFallback(asked, (ref) => readManifest(opened.target, ref)),
  );
  return {
    opened,
    reference: formatOpenedReference(opened, tag),
    descriptor: value.descriptor,
    ...(isValidDigest(tag) ? {} : { resolvedTag: tag }),
    identity,
  };
}
