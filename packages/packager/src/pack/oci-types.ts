/**
 * Minimal OCI shapes (image-spec descriptor.md, manifest.md). The packager must not depend on
 * `@provisioning/oci-client`; these are structurally compatible with its `Descriptor` and
 * `ImageManifest`, so a `PackResult` can be pushed unchanged.
 */
export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export interface OciImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: OciDescriptor;
  layers: OciDescriptor[];
  annotations?: Record<string, string>;
}
