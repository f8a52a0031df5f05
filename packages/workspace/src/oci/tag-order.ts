/**
 * Order of tags in listings: semver versions highest first (a leading `v` accepted, as in
 * `v3.5.0`), then every other tag (`latest`, `edge`) alphabetically. Highest first matches
 * what `dep resolve` picks and what users look for first. Cosign signature tags
 * (`sha256-<hex>.sig`) are not versions anyone pulls: listings leave them out, and `oci inspect`
 * shows them as the artifact's signatures (docs/signing.md).
 */
import { isSignatureTag } from '@provisioning/oci-client';
import { versionFromTag } from '@provisioning/schemas';
import semver from 'semver';

export interface OrderedTag {
  tag: string;
  /** Normalised semver version, or null for a non-version tag. */
  version: string | null;
}

export function orderTags(tags: readonly string[]): OrderedTag[] {
  const versions: OrderedTag[] = [];
  const others: OrderedTag[] = [];
  for (const tag of new Set(tags)) {
    if (isSignatureTag(tag)) continue;
    const version = versionFromTag(tag);
    (version ? versions : others).push({ tag, version });
  }
  versions.sort(
    (a, b) =>
      semver.rcompare(a.version as string, b.version as string) ||
      // `1.0.0` before its twin `v1.0.0`
      Number(a.tag.startsWith('v')) - Number(b.tag.startsWith('v')),
  );
  others.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return [...versions, ...others];
}

/** The highest semver tag, else `latest` when present, else undefined. */
export function latestTag(tags: readonly string[]): string | undefined {
  const ordered = orderTags(tags);
  const first = ordered[0];
  if (first?.version) return first.tag;
  return tags.includes('latest') ? 'latest' : undefined;
}
