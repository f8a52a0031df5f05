/** Recognising a provisioning extension manifest (DESIGN §3) among arbitrary OCI manifests. */
import type { Descriptor, ImageIndex, ImageManifest } from '@provisioning/oci-client';
import { MediaTypes, ProvisioningError } from '@provisioning/schemas';
import { isImageManifest } from './read-manifest.js';

export function isExtensionManifest(json: ImageManifest | ImageIndex): json is ImageManifest {
  return (
    isImageManifest(json) &&
    (json.artifactType === MediaTypes.extensionArtifact ||
      json.config.mediaType === MediaTypes.extensionConfig)
  );
}

/** The content layer of an extension manifest, or a clear error naming the reference. */
export function extensionLayer(json: ImageManifest | ImageIndex, reference: string): Descriptor {
  const layers = isExtensionManifest(json)
    ? json.layers.filter((layer) => layer.mediaType === MediaTypes.extensionContent)
    : [];
  if (layers.length !== 1) {
    throw new ProvisioningError(
      'NOT_AN_EXTENSION',
      `${reference} is not a provisioning extension (expected artifactType ${MediaTypes.extensionArtifact} with one ${MediaTypes.extensionContent} layer)`,
      {
        kind: 'input',
        hint: `inspect it with \`provisioning oci inspect ${reference}\`; copy other images with \`provisioning oci copy\``,
      },
    );
  }
  return layers[0] as Descriptor;
}
