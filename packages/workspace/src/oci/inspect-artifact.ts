/**
 * `oci inspect REF`: the manifest (media types, artifactType, annotations, sizes, digests) of any
 * artifact — extension or container image or index — plus, for extensions, the metadata from the
 * config blob (the extension's manifest.yaml as JSON).
 */
import type { Descriptor } from '@provisioning/oci-client';
import { isExtensionManifest, isImageManifest } from '../source/extension-artifact.js';
import { listSignatures, type SignatureListing } from './list-signatures.js';
import { whenFound } from './not-found.js';
import { formatOpenedReference, type OciSession } from './oci-session.js';
import { readConfigJson, readManifest } from './read-manifest.js';
import { latestTag } from './tag-order.js';
import { withVersionTagFallback } from './version-tag-fallback.js';

export interface InspectResult {
  reference: string;
  digest: string;
  mediaType: string;
  size: number;
  artifactType: string | null;
  annotations: Record<string, string>;
  /** Image manifests: the config descriptor. */
  config: Descriptor | null;
  layers: Descriptor[];
  /** Indexes: the manifests they list. */
  manifests: Descriptor[];
  subject: Descriptor | null;
  /** Manifest + config + layers (image manifests) or manifest + listed manifests (indexes). */
  totalSize: number;
  /** Extension metadata from the config blob; null for anything that is not an extension. */
  extension: Record<string, unknown> | null;
  /** cosign signatures at the `sha256-<hex>.sig` tag (not checked against any key); null when none. */
  signatures: SignatureListing | null;
}

export async function inspectArtifact(session: OciSession, input: string): Promise<InspectResult> {
  const opened = await session.open(input);
  const asked =
    opened.reference ??
    latestTag(await whenFound(session, opened, undefined, () => opened.target.tags())) ??
    'latest';
  const {
    tag: reference,
    value: { descriptor, json },
  } = await whenFound(session, opened, asked, () =>
    withVersionTagFallback(asked, (tag) => readManifest(opened.target, tag)),
  );
  const common = {
    reference: formatOpenedReference(opened, reference),
    digest: descriptor.digest,
    mediaType: json.mediaType ?? descriptor.mediaType,
    size: descriptor.size,
    artifactType: json.artifactType ?? null,
    annotations: json.annotations ?? {},
    subject: json.subject ?? null,
    signatures: await listSignatures(opened.target, descriptor.digest),
  };
  if (isImageManifest(json)) {
    const layers = json.layers ?? [];
    let extension: Record<string, unknown> | null = null;
    if (isExtensionManifest(json)) {
      const config = await readConfigJson(opened.target, json.config);
      if (config && typeof config === 'object' && !Array.isArray(config))
        extension = config as Record<string, unknown>;
    }
    return {
      ...common,
      config: json.config,
      layers,
      manifests: [],
      totalSize: descriptor.size + json.config.size + layers.reduce((sum, layer) => sum + layer.size, 0),
      extension,
    };
  }
  const manifests = json.manifests ?? [];
  return {
    ...common,
    config: null,
    layers: [],
    manifests,
    totalSize: descriptor.size + manifests.reduce((sum, m) => sum + m.size, 0),
    extension: null,
  };
}
