import { createHash } from 'node:crypto';
import { MediaTypes } from '@provisioning/schemas';
import type { RegistryRepository } from '../src/index.js';
import type { Descriptor, ImageManifest } from '../src/types.js';

export function descriptorOf(
  mediaType: string,
  bytes: Uint8Array,
  extra: Partial<Descriptor> = {},
): Descriptor {
  return {
    mediaType,
    digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    size: bytes.length,
    ...extra,
  };
}

/** A provisioning extension artifact (docs/architecture.md, "Artifact format") with a small config and one layer. */
export function extensionArtifact(
  name: string,
  version: string,
  layerBytes: Uint8Array = Buffer.from(`layer of ${name}-${version}`),
) {
  const config = Buffer.from(JSON.stringify({ name, version, type: 'taskserv', dependencies: {} }));
  const configDesc = descriptorOf(MediaTypes.extensionConfig, config);
  const layerDesc = descriptorOf(MediaTypes.extensionContent, layerBytes, {
    annotations: { 'org.opencontainers.image.title': `${name}-${version}.tar.gz` },
  });
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociImageManifest,
    artifactType: MediaTypes.extensionArtifact,
    config: configDesc,
    layers: [layerDesc],
    annotations: { 'org.opencontainers.image.title': name, 'org.opencontainers.image.version': version },
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  return {
    config,
    configDesc,
    layer: Buffer.from(layerBytes),
    layerDesc,
    manifest,
    manifestBytes,
    manifestDesc: descriptorOf(MediaTypes.ociImageManifest, manifestBytes),
  };
}

/** Push config, layer and manifest (tagged `tag`) the way a client publishes an artifact. */
export async function pushArtifact(
  repo: RegistryRepository,
  art: ReturnType<typeof extensionArtifact>,
  tag: string,
): Promise<void> {
  await repo.pushBlob(art.configDesc, art.config);
  await repo.pushBlob(art.layerDesc, art.layer);
  await repo.pushManifest(art.manifestBytes, MediaTypes.ociImageManifest, tag);
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** Fast retries for tests. */
export const FAST_RETRY = { baseDelayMs: 10, minDelayMs: 5, maxDelayMs: 50 };
