/**
 * `oci delete REF`: delete a version (a tag) or a manifest (a digest) from a registry or an image
 * layout. A tag is deleted alone: the layout untags it; a registry that can only delete by digest
 * (Distribution) would take every tag on that digest with it, so that is refused, naming the other
 * tags, unless `allTags`. Registries with deletion disabled answer 405/400; the client turns that
 * into `DELETE_DISABLED`.
 */
import { type ContentTarget, OciLayout, type RegistryRepository } from '@provisioning/oci-client';
import { isValidDigest, ProvisioningError } from '@provisioning/schemas';
import { whenFound } from './not-found.js';
import { formatOpenedReference, type OciSession } from './oci-session.js';

export interface DeleteOptions {
  /** Also delete the other tags on the same digest (where the storage cannot untag one). */
  allTags?: boolean;
}

export interface DeleteResult {
  reference: string;
  digest: string;
  /** Tags that no longer exist afterwards. */
  removedTags: string[];
  /** Whether the manifest itself was deleted (false: only the tag went, the manifest is still tagged). */
  manifestDeleted: boolean;
}

export async function deleteArtifact(
  session: OciSession,
  input: string,
  options: DeleteOptions = {},
): Promise<DeleteResult> {
  // what a delete removes is decided on the registry itself, never on a mirror's answer
  const opened = await session.open(input, { mirrors: false });
  if (!opened.reference) {
    throw new ProvisioningError(
      'DELETE_NEEDS_VERSION',
      `${JSON.stringify(input)} names no version or digest`,
      {
        kind: 'usage',
        hint: 'name what to delete: NAME:VERSION or NAME@sha256:<hex>',
      },
    );
  }
  const reference = formatOpenedReference(opened, opened.reference);
  const target = opened.target;
  const tag = opened.reference;
  const desc = await whenFound(session, opened, tag, () => target.resolve(tag));
  const byDigest = isValidDigest(opened.reference);
  const sharing = await tagsOn(target, desc.digest);
  const others = byDigest ? sharing : sharing.filter((t) => t !== opened.reference);

  if (target instanceof OciLayout) {
    if (byDigest || options.allTags || others.length === 0) {
      await target.delete(desc);
      return { reference, digest: desc.digest, removedTags: sharing, manifestDeleted: true };
    }
    await target.untag(opened.reference);
    return { reference, digest: desc.digest, removedTags: [opened.reference], manifestDeleted: false };
  }

  if (!byDigest && others.length > 0 && !options.allTags) {
    throw new ProvisioningError(
      'DELETE_SHARED_DIGEST',
      `deleting ${reference} would also delete ${others.join(', ')}: ${opened.name} deletes by digest (${desc.digest}) and these tags share it`,
      {
        kind: 'input',
        hint: 'pass --all-tags to delete them all; nothing was deleted',
        details: { digest: desc.digest, otherTags: others },
      },
    );
  }
  const digest = await (target as RegistryRepository).deleteManifest(desc.digest);
  return { reference, digest, removedTags: sharing, manifestDeleted: true };
}

/** Every tag of the repository that points at `digest` (few per repository for extensions). */
async function tagsOn(target: ContentTarget, digest: string): Promise<string[]> {
  const tags = await target.tags();
  const resolved = await Promise.all(
    tags.map((tag) =>
      target.resolve(tag).then(
        (d) => (d.digest === digest ? tag : undefined),
        () => undefined,
      ),
    ),
  );
  return resolved.filter((t): t is string => t !== undefined).sort();
}
