/** Media types and annotation keys of the provisioning artifact format (docs/architecture.md, "Artifact format"). */
export const MediaTypes = {
  /** `artifactType` of every extension manifest. */
  extensionArtifact: 'application/vnd.provisioning.extension.v1',
  /** Config blob: the extension's manifest.yaml as canonical JSON. */
  extensionConfig: 'application/vnd.provisioning.extension.config.v1+json',
  /** The single content layer: the extension tree as tar+gzip. */
  extensionContent: 'application/vnd.provisioning.extension.content.v1.tar+gzip',
  /** `artifactType` of a core release (docs/releasing.md, "Core"). */
  coreArtifact: 'application/vnd.provisioning.core.v1+json',
  /** Config blob of a core release: name, version, node engine, entry point (canonical JSON). */
  coreConfig: 'application/vnd.provisioning.core.config.v1+json',
  /** The core's single layer: CLI bundle, JSON Schemas, kcl/ and templates as tar+gzip. */
  coreContent: 'application/vnd.provisioning.core.content.v1.tar+gzip',

  ociImageManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociImageIndex: 'application/vnd.oci.image.index.v1+json',
  ociImageConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerTar: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerTarGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociEmptyJson: 'application/vnd.oci.empty.v1+json',

  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export type MediaType = (typeof MediaTypes)[keyof typeof MediaTypes];

/** Every manifest media type the client accepts (sent as `Accept` on every manifest request). */
export const MANIFEST_MEDIA_TYPES: readonly string[] = [
  MediaTypes.ociImageManifest,
  MediaTypes.ociImageIndex,
  MediaTypes.dockerManifest,
  MediaTypes.dockerManifestList,
];

export const Annotations = {
  title: 'org.opencontainers.image.title',
  version: 'org.opencontainers.image.version',
  description: 'org.opencontainers.image.description',
  licenses: 'org.opencontainers.image.licenses',
  source: 'org.opencontainers.image.source',
  url: 'org.opencontainers.image.url',
  authors: 'org.opencontainers.image.authors',
  created: 'org.opencontainers.image.created',
  refName: 'org.opencontainers.image.ref.name',
  /** Project-owned key carrying the extension type (provider | taskserv | cluster). */
  extensionType: 'dev.provisioning.extension.type',
} as const;

/** Default manifest size cap (docs/architecture.md, "Security boundaries"). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
