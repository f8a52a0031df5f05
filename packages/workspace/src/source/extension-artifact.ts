/**
 * Recognising a provisioning extension manifest among arbitrary OCI content (docs/architecture.md,
 * "Artifact format"). Extension commands (pull, dep resolve, module load) take nothing else: an image
 * index, a Docker manifest list, a container image or another tool's artifact is refused with one
 * line that says what it is. `oci copy` and `oci inspect` still handle anything.
 */
import type { Descriptor, ImageIndex, ImageManifest } from '@provisioning/oci-client';
import { MediaTypes, ProvisioningError } from '@provisioning/schemas';

type AnyManifest = ImageManifest | ImageIndex;

export function isImageManifest(json: AnyManifest): json is ImageManifest {
  return typeof (json as ImageManifest).config === 'object' && Array.isArray((json as ImageManifest).layers);
}

/** An extension: our config media type, and our artifactType when one is given. */
export function isExtensionManifest(json: AnyManifest): json is ImageManifest {
  return (
    isImageManifest(json) &&
    json.config?.mediaType === MediaTypes.extensionConfig &&
    (json.artifactType === undefined || json.artifactType === MediaTypes.extensionArtifact)
  );
}

const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const CONTAINER_CONFIGS = new Set([
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
]);

/** What a manifest that is not an extension is, in a user's words. */
export function describeArtifact(json: AnyManifest): string {
  const record = json as { mediaType?: unknown; manifests?: unknown; artifactType?: unknown };
  if (Array.isArray(record.manifests)) {
    const count = `${record.manifests.length} manifest${record.manifests.length === 1 ? '' : 's'}`;
    return record.mediaType === DOCKER_LIST
      ? `a Docker manifest list (${count})`
      : `an image index (${count})`;
  }
  if (!isImageManifest(json)) return 'not an image manifest';
  if (typeof record.artifactType === 'string' && record.artifactType !== MediaTypes.extensionArtifact) {
    return `an artifact of type ${record.artifactType}`;
  }
  const config = String(json.config?.mediaType);
  if (CONTAINER_CONFIGS.has(config)) return 'a container image';
  return `an artifact with config type ${config}`;
}

/** The config and the single content layer of an extension, or one clear error naming the reference. */
export function extensionParts(
  json: AnyManifest,
  reference: string,
): { config: Descriptor; layer: Descriptor } {
  if (!isExtensionManifest(json)) {
    throw new ProvisioningError(
      'NOT_AN_EXTENSION',
      `${reference} is ${describeArtifact(json)}, not a provisioning extension`,
      {
        kind: 'input',
        hint: `extension commands take what \`provisioning oci push\` publishes; \`provisioning oci inspect ${reference}\` shows it, \`provisioning oci copy\` copies any artifact`,
        details: { reference },
      },
    );
  }
  const layers = json.layers.filter((layer) => layer.mediaType === MediaTypes.extensionContent);
  if (layers.length !== 1) {
    throw new ProvisioningError(
      'ARTIFACT_INVALID',
      `${reference} is not a valid provisioning extension: it has ${layers.length} extension content layers, expected exactly one`,
      {
        kind: 'registry',
        hint: 'republish it with `provisioning oci push`, or pick another version',
        details: { reference },
      },
    );
  }
  return { config: json.config, layer: layers[0] as Descriptor };
}
