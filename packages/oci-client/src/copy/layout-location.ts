/**
 * `oci-layout:PATH[:TAG]` and `oci-layout:PATH@DIGEST` location strings (the CLI's way to name an
 * image layout, like skopeo's `oci:PATH:TAG`). The path may itself contain `:`; only a suffix after
 * the last `/` that is a valid tag or digest is split off.
 */
import { isValidTag, ProvisioningError } from '@provisioning/schemas';
import { isSupportedDigest } from '../layout/digest.js';

export const LAYOUT_SCHEME = 'oci-layout:';

export interface LayoutLocation {
  path: string;
  tag?: string;
  digest?: string;
  /** The tag or digest, whichever was given. */
  reference?: string;
}

export function isLayoutLocation(value: string): boolean {
  return value.startsWith(LAYOUT_SCHEME);
}

export function parseLayoutLocation(value: string): LayoutLocation {
  if (!isLayoutLocation(value)) throw invalid(value, `it must start with "${LAYOUT_SCHEME}"`);
  const rest = value.slice(LAYOUT_SCHEME.length);
  const lastSlash = rest.lastIndexOf('/');
  const at = rest.lastIndexOf('@');
  if (at > lastSlash) {
    const digest = rest.slice(at + 1);
    if (!isSupportedDigest(digest))
      throw invalid(value, `"${digest.slice(0, 80)}" is not a sha256/sha512 digest`);
    return withPath(value, rest.slice(0, at), { digest, reference: digest });
  }
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    const tag = rest.slice(colon + 1);
    if (!isValidTag(tag)) throw invalid(value, `"${tag.slice(0, 140)}" is not a valid tag`);
    return withPath(value, rest.slice(0, colon), { tag, reference: tag });
  }
  return withPath(value, rest, {});
}

function withPath(value: string, path: string, ref: Omit<LayoutLocation, 'path'>): LayoutLocation {
  if (path === '') throw invalid(value, 'the path is empty');
  return { path, ...ref };
}

function invalid(value: string, why: string): ProvisioningError {
  return new ProvisioningError(
    'LAYOUT_LOCATION_INVALID',
    `invalid layout location ${JSON.stringify(value.slice(0, 300))}: ${why}`,
    {
      kind: 'usage',
      hint: 'write oci-layout:PATH, oci-layout:PATH:TAG or oci-layout:PATH@sha256:<hex>',
    },
  );
}
