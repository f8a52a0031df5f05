import { Annotations, canonicalJson, type ExtensionManifest, MediaTypes } from '@provisioning/schemas';
import { compareStrings } from '../problems.js';
import { sha256Digest } from './digest-stream.js';
import type { OciDescriptor, OciImageManifest } from './oci-types.js';

export interface ExtensionArtifact {
  config: { descriptor: OciDescriptor; bytes: Uint8Array };
  layer: OciDescriptor;
  imageManifest: OciImageManifest;
  imageManifestBytes: Uint8Array;
  imageManifestDescriptor: OciDescriptor;
}

/** `NAME-VERSION.tar.gz`: the tarball file name and the layer's title annotation. */
export function tarballName(manifest: Pick<ExtensionManifest, 'name' | 'version'>): string {
  return `${manifest.name}-${manifest.version}.tar.gz`;
}

/**
 * The artifact (docs/architecture.md, "Artifact format") around an already written layer: config blob = the manifest as canonical
 * JSON, one tar+gzip layer, and an OCI 1.1 image manifest with `artifactType`. Serialised with a
 * fixed key order and no whitespace, so the same inputs always give the same manifest digest.
 * `created` (an ISO date) is only added when asked for: it would break reproducibility.
 */
export function buildArtifact(
  manifest: ExtensionManifest,
  layerBlob: { digest: string; size: number },
  options: { created?: string } = {},
): ExtensionArtifact {
  const configBytes = Buffer.from(canonicalJson(manifest), 'utf8');
  const config: OciDescriptor = {
    mediaType: MediaTypes.extensionConfig,
    digest: sha256Digest(configBytes),
    size: configBytes.length,
  };
  const layer: OciDescriptor = {
    mediaType: MediaTypes.extensionContent,
    digest: layerBlob.digest,
    size: layerBlob.size,
    annotations: { [Annotations.title]: tarballName(manifest) },
  };
  const imageManifest: OciImageManifest = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociImageManifest,
    artifactType: MediaTypes.extensionArtifact,
    config,
    layers: [layer],
    annotations: manifestAnnotations(manifest, options.created),
  };
  const imageManifestBytes = Buffer.from(JSON.stringify(imageManifest), 'utf8');
  return {
    config: { descriptor: config, bytes: configBytes },
    layer,
    imageManifest,
    imageManifestBytes,
    imageManifestDescriptor: {
      mediaType: MediaTypes.ociImageManifest,
      digest: sha256Digest(imageManifestBytes),
      size: imageManifestBytes.length,
      artifactType: MediaTypes.extensionArtifact,
    },
  };
}

function manifestAnnotations(
  manifest: ExtensionManifest,
  created: string | undefined,
): Record<string, string> {
  const m = manifest as ExtensionManifest & Record<string, unknown>;
  const candidates: [string, unknown][] = [
    [Annotations.title, m.name],
    [Annotations.version, m.version],
    [Annotations.description, m.description],
    [Annotations.licenses, m.license],
    [Annotations.source, m.repository],
    [Annotations.url, m.homepage],
    [Annotations.authors, m.author],
    [Annotations.extensionType, m.type],
    [Annotations.created, created],
  ];
  const entries = candidates.filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '',
  );
  entries.sort((a, b) => compareStrings(a[0], b[0]));
  return Object.fromEntries(entries);
}
