/**
 * readBaseImage + buildImage against a real Distribution registry: base layers are mounted within
 * one registry and copied (streamed) into a layout, never re-read when present; the new manifest is
 * pushed last, under its tag; artifacts that are no container image are refused.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MediaTypes, ProvisioningError } from '@provisioning/schemas';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildImage,
  type CopyProgressEvent,
  type ImageManifest,
  OciLayout,
  Registry,
  readBaseImage,
} from '../src/index.js';
import {
  blob,
  makeArtifact,
  makeIndex,
  makeTempDir,
  pushImage,
  sha256,
} from '../src/layout/test-support/fixtures.js';

let dir: { path: string; cleanup(): Promise<void> };
let distribution: RunningDistribution;
let client: Registry;
let layerFile: { path: string; digest: string; size: number; diffId: string };

/** A container image for `arch`: one layer, a config listing its diff_id. */
function containerImage(arch: string) {
  const layer = blob(`root file system of ${arch}\n`.repeat(100), MediaTypes.ociLayerTarGzip);
  const config = blob(
    JSON.stringify({
      architecture: arch,
      os: 'linux',
      config: { Cmd: ['node'], Env: ['PATH=/usr/bin'] },
      rootfs: { type: 'layers', diff_ids: [sha256(Buffer.from(arch))] },
      history: [{ created_by: `base ${arch}` }],
    }),
    MediaTypes.ociImageConfig,
  );
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociImageManifest,
    config: config.desc,
    layers: [layer.desc],
  };
  return { manifest: blob(JSON.stringify(manifest), MediaTypes.ociImageManifest), config, layers: [layer] };
}

const amd64 = containerImage('amd64');
const arm64 = containerImage('arm64');
const changes = {
  entrypoint: ['node', '/opt/provisioning/app/index.js'],
  created: '1970-01-01T00:00:00Z',
  createdBy: 'test',
};

beforeAll(async () => {
  dir = await makeTempDir('build-image-');
  distribution = await startDistribution();
  client = new Registry(distribution.host, { credentials: null });
  const base = client.repository('library/node');
  await pushImage(base, amd64);
  await pushImage(base, arm64);
  const index = makeIndex([amd64, arm64]);
  await base.push(index.desc, index.bytes, { tag: '20' });
  await pushImage(base, arm64, '20-arm64');
  await pushImage(client.repository('provisioning-extensions/redis'), makeArtifact('redis'), '1.0.0');
  const bytes = Buffer.from('the app layer\n');
  const path = join(dir.path, 'layer.tar.gz');
  await writeFile(path, bytes);
  layerFile = { path, digest: sha256(bytes), size: bytes.length, diffId: sha256(Buffer.from('diff')) };
});
afterAll(async () => {
  await client?.close();
  await distribution?.stop();
  await dir?.cleanup();
});

const platform = { os: 'linux', architecture: 'amd64' };

describe('buildImage', () => {
  it('mounts the base layers within one registry and tags the new manifest', async () => {
    const base = await readBaseImage(client.repository('library/node'), '20', { name: 'node:20', platform });
    expect(base.descriptor.digest).toBe(amd64.manifest.desc.digest);
    const events: CopyProgressEvent[] = [];
    const destination = client.repository('provisioning-platform/app');
    const built = await buildImage({
      base,
      layer: layerFile,
      config: changes,
      destination,
      tag: 'v1.0.0',
      onProgress: (event) => events.push(event),
    });
    expect(events.filter((e) => e.type === 'blob-mounted').map((e) => e.descriptor.digest)).toEqual([
      amd64.layers[0]?.desc.digest,
    ]);
    expect((await destination.resolve('v1.0.0')).digest).toBe(built.descriptor.digest);
    expect(built.manifest.layers.map((l) => l.digest)).toEqual([
      amd64.layers[0]?.desc.digest,
      layerFile.digest,
    ]);
    expect(built.config.rootfs.diff_ids.at(-1)).toBe(layerFile.diffId);
    expect(built.config.history).toHaveLength(2);
    expect(await destination.exists(built.configDescriptor)).toBe(true);
  });

  it('streams the base layers into a layout once; a second build finds them there', async () => {
    const base = await readBaseImage(client.repository('library/node'), '20', { name: 'node:20', platform });
    const layout = await OciLayout.open(join(dir.path, 'out'), { create: true });
    const first: string[] = [];
    await buildImage({
      base,
      layer: layerFile,
      config: changes,
      destination: layout,
      tag: 'a',
      onProgress: (e) => first.push(e.type),
    });
    expect(first).toContain('blob-copied');
    const second: string[] = [];
    const built = await buildImage({
      base,
      layer: layerFile,
      config: changes,
      destination: layout,
      tag: 'b',
      onProgress: (e) => second.push(e.type),
    });
    expect(second).toEqual(['blob-exists']);
    expect((await layout.resolve('a')).digest).toBe(built.descriptor.digest);
    expect((await layout.resolve('b')).digest).toBe(built.descriptor.digest);
  });

  it('refuses an extension artifact, a missing platform and a single image of another platform', async () => {
    const refused = async (repository: string, reference: string, wanted = platform) => {
      const error = await readBaseImage(client.repository(repository), reference, {
        name: `${repository}:${reference}`,
        platform: wanted,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProvisioningError);
      expect((error as ProvisioningError).code).toBe('BASE_IMAGE_INVALID');
      return (error as ProvisioningError).message;
    };
    expect(await refused('provisioning-extensions/redis', '1.0.0')).toContain('is not a container image');
    expect(await refused('library/node', '20', { os: 'linux', architecture: 'riscv64' })).toContain(
      'no linux/riscv64 image (it has linux/amd64, linux/arch1)',
    );
    expect(await refused('library/node', '20-arm64')).toContain('it is a linux/arm64 image, not linux/amd64');
  });
});
