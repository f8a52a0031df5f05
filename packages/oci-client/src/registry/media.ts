import { MANIFEST_MEDIA_TYPES, MediaTypes } from '@provisioning/schemas';

/** OCI artifact manifest (image-spec 1.1-rc, still served by some registries). */
export const ARTIFACT_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.artifact.manifest.v1+json';

/** Every manifest type we accept: sent as `Accept` on every manifest request (Distribution 2.8 404s without it). */
export const MANIFEST_ACCEPT = [...MANIFEST_MEDIA_TYPES, ARTIFACT_MANIFEST_MEDIA_TYPE].join(', ');

export function isManifestMediaType(mediaType: string | undefined): boolean {
  if (mediaType === undefined) return false;
  return MANIFEST_MEDIA_TYPES.includes(mediaType) || mediaType === ARTIFACT_MANIFEST_MEDIA_TYPE;
}

export function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType === MediaTypes.ociImageIndex || mediaType === MediaTypes.dockerManifestList;
}

/** `application/json; charset=utf-8` → `application/json` */
export function bareMediaType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const bare = contentType.split(';')[0]!.trim().toLowerCase();
  return bare === '' ? undefined : bare;
}
