/**
 * Test support for the layout, copy and server suites: temp dirs, small real images built in
 * memory, and running the real skopeo / umoci binaries.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { MediaTypes } from '@provisioning/schemas';
import { requireBinary, tempDir } from '@provisioning/testkit';
import type { ContentTarget, Descriptor, ImageIndex, ImageManifest } from '../../types.js';

const run = promisify(execFile);

export async function makeTempDir(
  prefix = 'oci-layout-test-',
): Promise<{ path: string; cleanup(): Promise<void> }> {
  const dir = await tempDir(prefix);
  return { path: dir.path, cleanup: () => dir.remove() };
}

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function blob(content: string | Uint8Array, mediaType: string = MediaTypes.ociLayerTar): Blob {
  const bytes = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
  return { bytes, desc: { mediaType, digest: sha256(bytes), size: bytes.length } };
}

export interface Blob {
  bytes: Buffer;
  desc: Descriptor;
}

export interface TestImage {
  manifest: Blob;
  config: Blob;
  layers: Blob[];
}

/** A tiny extension-style artifact: config + one layer, deterministic for a given seed. */
export function makeArtifact(seed: string, extra: Partial<ImageManifest> = {}): TestImage {
  const config = blob(JSON.stringify({ name: seed, version: '1.0.0' }), MediaTypes.extensionConfig);
  const layer = blob(`layer content of ${seed}\n`.repeat(50), MediaTypes.extensionContent);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociImageManifest,
    artifactType: MediaTypes.extensionArtifact,
    config: config.desc,
    layers: [layer.desc],
    ...extra,
  };
  return { manifest: blob(JSON.stringify(manifest), MediaTypes.ociImageManifest), config, layers: [layer] };
}

export function makeIndex(children: TestImage[]): Blob {
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociImageIndex,
    manifests: children.map((c, i) => ({
      ...c.manifest.desc,
      platform: { os: 'linux', architecture: i === 0 ? 'amd64' : `arch${i}` },
    })),
  };
  return blob(JSON.stringify(index), MediaTypes.ociImageIndex);
}

export async function pushImage(target: ContentTarget, image: TestImage, tag?: string): Promise<Descriptor> {
  await target.push(image.config.desc, image.config.bytes);
  for (const layer of image.layers) await target.push(layer.desc, layer.bytes);
  await target.push(image.manifest.desc, image.manifest.bytes);
  if (tag) await target.tag(image.manifest.desc, tag);
  return image.manifest.desc;
}

export async function skopeo(...args: string[]): Promise<string> {
  const { stdout } = await run(requireBinary('skopeo'), ['--insecure-policy', ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

export async function umoci(...args: string[]): Promise<string> {
  const { stdout } = await run(requireBinary('umoci'), args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
