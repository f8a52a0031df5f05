/**
 * Builds a container image on a base (docs/platform.md, "Images"): the base's layers unchanged (by
 * digest; copied blob by blob, mounted within one registry, never held in memory), one more layer
 * from a file, a derived config and a manifest of the base's flavour (OCI or Docker v2). Written
 * in dependency order (layers, config, then the tagged manifest), so the destination never names
 * content it lacks. Same base, layer and options → same manifest digest.
 */
import { createReadStream } from 'node:fs';
import { MediaTypes } from '@provisioning/schemas';
import { type CopyProgressEvent, copyBlobs } from '../copy/copy.js';
import { digestOf } from '../layout/digest.js';
import { reopenable } from '../reopenable.js';
import type { ContentTarget, Descriptor, ImageManifest } from '../types.js';
import type { BaseImage } from './base-image.js';
import { type ConfigChanges, deriveImageConfig, type ImageConfig } from './image-config.js';

export interface ImageLayerFile {
  /** A `.tar.gz` on disk. */
  path: string;
  digest: string;
  size: number;
  diffId: string;
}

export interface BuildImageOptions {
  base: BaseImage;
  layer: ImageLayerFile;
  config: Omit<ConfigChanges, 'diffId'>;
  /** Manifest annotations (OCI manifests only; Docker v2 has none); the base's name and digest are added. */
  annotations?: Record<string, string>;
  /** false: leave `org.opencontainers.image.base.name` out (a base read from a local layout). */
  baseName?: boolean;
  destination: ContentTarget;
  tag: string;
  onProgress?(event: CopyProgressEvent): void;
}

export interface BuiltImage {
  descriptor: Descriptor;
  manifest: ImageManifest;
  config: ImageConfig;
  configDescriptor: Descriptor;
  layer: Descriptor;
}

const BASE_NAME = 'org.opencontainers.image.base.name';
const BASE_DIGEST = 'org.opencontainers.image.base.digest';

/** The manifest, config and layer descriptors, without writing anything. */
export function composeImage(options: Omit<BuildImageOptions, 'destination' | 'tag' | 'onProgress'>): {
  built: BuiltImage;
  manifestBytes: Buffer;
  configBytes: Buffer;
} {
  const { base, layer: file } = options;
  const docker = base.mediaType === MediaTypes.dockerManifest;
  const layer: Descriptor = {
    mediaType: docker ? MediaTypes.dockerLayerGzip : MediaTypes.ociLayerTarGzip,
    digest: file.digest,
    size: file.size,
  };
  const config = deriveImageConfig(base.config, { ...options.config, diffId: file.diffId });
  const configBytes = Buffer.from(JSON.stringify(config), 'utf8');
  const configDescriptor: Descriptor = {
    mediaType: base.manifest.config.mediaType,
    digest: digestOf(configBytes),
    size: configBytes.length,
  };
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: base.mediaType,
    config: configDescriptor,
    layers: [...base.manifest.layers.map(plainLayer), layer],
  };
  if (!docker) {
    const annotations: Record<string, string> = {
      [BASE_DIGEST]: base.descriptor.digest,
      ...(options.baseName === false ? {} : { [BASE_NAME]: base.name }),
      ...(options.annotations ?? {}),
    };
    manifest.annotations = Object.fromEntries(
      Object.entries(annotations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  }
  const manifestBytes = Buffer.from(JSON.stringify(manifest), 'utf8');
  const descriptor: Descriptor = {
    mediaType: base.mediaType,
    digest: digestOf(manifestBytes),
    size: manifestBytes.length,
  };
  return { built: { descriptor, manifest, config, configDescriptor, layer }, manifestBytes, configBytes };
}

export async function buildImage(options: BuildImageOptions): Promise<BuiltImage> {
  const { built, manifestBytes, configBytes } = composeImage(options);
  const { destination, base } = options;
  await copyBlobs(base.source, destination, base.manifest.layers, {
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  if (!(await destination.exists(built.layer))) {
    await destination.push(
      built.layer,
      reopenable(() => createReadStream(options.layer.path)),
      { knownMissing: true },
    );
    options.onProgress?.({ type: 'blob-copied', descriptor: built.layer });
  }
  if (!(await destination.exists(built.configDescriptor))) {
    await destination.push(built.configDescriptor, configBytes, { knownMissing: true });
  }
  await destination.push(built.descriptor, manifestBytes, { tag: options.tag });
  return built;
}

/** A base layer as the new manifest lists it: the same blob, the base's own annotations kept. */
function plainLayer(layer: Descriptor): Descriptor {
  return {
    mediaType: layer.mediaType,
    digest: layer.digest,
    size: layer.size,
    ...(layer.urls ? { urls: layer.urls } : {}),
    ...(layer.annotations ? { annotations: layer.annotations } : {}),
  };
}
