/**
 * Reading the image a build starts from: its manifest (one platform's, when the reference names an
 * index) and its config. Only these small documents are read; the layers stay where they are until
 * they are copied.
 */
import { MAX_MANIFEST_BYTES, MediaTypes } from '@provisioning/schemas';
import { isIndexMediaType, manifestMediaType, parseManifest, readCapped } from '../layout/manifest-json.js';
import type { ContentTarget, Descriptor, ImageIndex, ImageManifest } from '../types.js';
import { type ImageConfig, invalidBase, parseImageConfig } from './image-config.js';
import { formatPlatform, type ImagePlatform, platformMatches, selectPlatform } from './platform.js';

export interface BaseImage {
  source: ContentTarget;
  /** How the user named it (for labels and messages). */
  name: string;
  /** What the reference resolved to: the index, or the manifest itself. */
  root: Descriptor;
  /** The chosen platform's manifest. */
  descriptor: Descriptor;
  manifest: ImageManifest;
  /** OCI or Docker v2: the new manifest keeps the base's flavour. */
  mediaType: string;
  config: ImageConfig;
}

const CONFIG_TYPES = new Set<string>([MediaTypes.ociImageConfig, MediaTypes.dockerConfig]);
const LAYER_TYPE =
  /^application\/vnd\.(oci\.image\.layer\.v1\.tar|docker\.image\.rootfs\.(diff\.tar|foreign\.diff\.tar))/;

export async function readBaseImage(
  source: ContentTarget,
  reference: string,
  options: { name: string; platform: ImagePlatform },
): Promise<BaseImage> {
  const where = options.name;
  const root = await source.resolve(reference);
  let descriptor = root;
  let bytes = await readManifestBytes(source, root, where);
  let parsed = parseManifest(bytes, where);
  if (isIndexMediaType(manifestMediaType(parsed))) {
    const manifests = (parsed as ImageIndex).manifests;
    const chosen = selectPlatform(manifests, options.platform);
    if (!chosen) {
      const offered = [...new Set(manifests.map((m) => formatPlatform(m.platform)))].join(', ');
      throw invalidBase(
        where,
        `it has no ${formatPlatform(options.platform)} image (it has ${offered || 'none'})`,
      );
    }
    descriptor = chosen;
    bytes = await readManifestBytes(source, chosen, where);
    parsed = parseManifest(bytes, where);
    if (isIndexMediaType(manifestMediaType(parsed)))
      throw invalidBase(where, 'it nests one index in another');
  }
  const manifest = parsed as ImageManifest;
  const mediaType = manifestMediaType(manifest);
  const configType = manifest.config?.mediaType;
  if (!CONFIG_TYPES.has(configType) || manifest.artifactType !== undefined) {
    throw invalidBase(
      where,
      `it is not a container image (config ${configType}${manifest.artifactType ? `, artifactType ${manifest.artifactType}` : ''})`,
    );
  }
  const foreign = manifest.layers.find((layer) => !LAYER_TYPE.test(layer.mediaType));
  if (foreign) throw invalidBase(where, `layer ${foreign.digest} has media type ${foreign.mediaType}`);
  const configBytes = await readCapped(
    await source.fetch(manifest.config),
    MAX_MANIFEST_BYTES,
    `${where} config`,
  );
  const config = parseImageConfig(configBytes, manifest.layers.length, where);
  if (!platformMatches(config, options.platform)) {
    throw invalidBase(
      where,
      `it is a ${formatPlatform(config)} image, not ${formatPlatform(options.platform)} (choose with --platform)`,
    );
  }
  return {
    source,
    name: options.name,
    root,
    descriptor: { ...descriptor, mediaType },
    manifest,
    mediaType,
    config,
  };
}

async function readManifestBytes(source: ContentTarget, desc: Descriptor, where: string): Promise<Buffer> {
  return readCapped(await source.fetch(desc), MAX_MANIFEST_BYTES, where);
}
