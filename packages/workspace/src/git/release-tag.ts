/**
 * The release tag of an extension (docs/releasing.md, "Tag format"): `{type}s/{name}/v{version}`,
 * e.g. `taskservs/kubernetes/v1.28.0`, the format the architecture document gives. `oci release`
 * also takes it without the `v`; git sources read only the canonical form, so a lock made from git
 * names one tag per version.
 */
import { EXTENSION_TYPES, type ExtensionType } from '@provisioning/schemas';
import semver from 'semver';

export interface ReleaseTag {
  tag: string;
  type: ExtensionType;
  name: string;
  version: string;
  /** `taskservs/redis`: the extension's directory in the repository. */
  subdir: string;
  /** Written with the `v` (`taskservs/redis/v1.0.0`). */
  canonical: boolean;
}

const TAG = /^(providers|taskservs|clusters)\/([a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)\/(v?)(.+)$/;

/** The parts of a release tag, or undefined when `tag` is not one (or its version is not semver). */
export function parseReleaseTag(tag: string): ReleaseTag | undefined {
  const match = TAG.exec(tag);
  if (!match) return undefined;
  const [, dir, name, v, raw] = match as unknown as [string, string, string, string, string];
  if (semver.valid(raw) !== raw) return undefined;
  const type = EXTENSION_TYPES.find((t) => `${t}s` === dir)!;
  return { tag, type, name, version: raw, subdir: `${dir}/${name}`, canonical: v === 'v' };
}

/** `taskservs/redis/v1.0.0`. */
export function releaseTagOf(type: ExtensionType, name: string, version: string): string {
  return `${type}s/${name}/v${version}`;
}
