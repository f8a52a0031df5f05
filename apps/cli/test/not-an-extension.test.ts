// Extension commands refuse what is not an extension, in one line naming what it is, and leave
// nothing behind; `oci copy` and `oci inspect` still handle any artifact (docs/oci.md).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './support/run-cli.js';
import { ociWorkspaceYaml } from './support/workspace-yaml.js';

const box = new Sandbox();
let registry: RunningDistribution;
const NS = 'provisioning-extensions';
let env: Record<string, string>;

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function pushBlob(repo: string, bytes: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha256(bytes);
  const started = await fetch(`http://${registry.host}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  expect(started.status).toBe(202);
  const location = new URL(started.headers.get('location') ?? '', `http://${registry.host}`);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', body: bytes });
  expect(put.status).toBe(201);
  return { digest, size: bytes.length };
}

async function pushManifest(repo: string, tag: string, manifest: object): Promise<void> {
  const body = Buffer.from(JSON.stringify(manifest));
  const mediaType = (manifest as { mediaType: string }).mediaType;
  const put = await fetch(`http://${registry.host}/v2/${repo}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'content-type': mediaType },
    body,
  });
  expect(put.status, await put.text()).toBe(201);
}

beforeAll(async () => {
  registry = await startDistribution();
  env = { PROVISIONING_REGISTRY: registry.host };
  const dir = join(box.root, 'redis');
  expect((await box.run(['generate', 'extension', 'taskserv', 'redis', '--dir', dir])).code).toBe(0);
  expect((await box.run(['oci', 'push', dir, 'redis', '1.0.0'], { env })).code).toBe(0);
  const extension = await fetch(`http://${registry.host}/v2/${NS}/redis/manifests/1.0.0`, {
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  const extensionBytes = Buffer.from(await extension.arrayBuffer());
  const extensionDesc = {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: sha256(extensionBytes),
    size: extensionBytes.length,
    platform: { architecture: 'amd64', os: 'linux' },
  };

  const ours = JSON.parse(extensionBytes.toString('utf8'));
  const mountExtensionBlobs = async (repo: string) => {
    for (const blob of [ours.config, ...ours.layers]) {
      const mounted = await fetch(
        `http://${registry.host}/v2/${repo}/blobs/uploads/?mount=${blob.digest}&from=${NS}/redis`,
        { method: 'POST' },
      );
      expect(mounted.status).toBe(201);
    }
  };

  // an image index wrapping the extension: its tag names an index, not the extension
  await mountExtensionBlobs(`${NS}/wrapped`);
  await pushManifest(`${NS}/wrapped`, extensionDesc.digest, ours);
  await pushManifest(`${NS}/wrapped`, '1.0.0', {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [extensionDesc],
  });
  // a Docker manifest list, the same way
  await mountExtensionBlobs(`${NS}/list`);
  await pushManifest(`${NS}/list`, extensionDesc.digest, ours);
  await pushManifest(`${NS}/list`, '1.0.0', {
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
    manifests: [extensionDesc, extensionDesc],
  });
  // a container image: OCI config, one gzip layer
  const repo = `${NS}/image`;
  const layer = await pushBlob(repo, gzipSync(Buffer.from('not a tarball, but nobody unpacks it')));
  const config = await pushBlob(repo, Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux' })));
  const image = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
  };
  await pushManifest(repo, '1.0.0', image);
  // another tool's artifact that reuses our config and layer types under its own artifactType
  await mountExtensionBlobs(`${NS}/foreign`);
  await pushManifest(`${NS}/foreign`, '1.0.0', {
    ...ours,
    artifactType: 'application/vnd.cncf.helm.chart.v1',
  });
});

afterAll(async () => {
  await registry?.stop();
  box.cleanup();
});

describe('extension commands refuse other artifacts', () => {
  it.each([
    ['wrapped', /wrapped:1\.0\.0 is an image index \(1 manifest\), not a provisioning extension/],
    ['list', /list:1\.0\.0 is a Docker manifest list \(2 manifests\), not a provisioning extension/],
    ['image', /image:1\.0\.0 is a container image, not a provisioning extension/],
    ['foreign', /foreign:1\.0\.0 is an artifact of type application\/vnd\.cncf\.helm\.chart\.v1, not/],
  ])('oci pull %s:1.0.0 is one line, exit 1, nothing written', async (name, message) => {
    const out = join(box.root, `out-${name}`);
    const result = await box.run(['oci', 'pull', `${name}:1.0.0`, '-o', out], { env });
    expect(result.code, result.stderr).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(message);
    expect(lines.length).toBe(2);
    expect(lines[1]).toMatch(/^ {2}hint: .*oci copy/);
    expect(existsSync(out)).toBe(false);
    const json = await box.run(['oci', 'pull', `${name}:1.0.0`, '-o', out, '--json'], { env });
    expect(JSON.parse(json.stdout).error.code).toBe('NOT_AN_EXTENSION');
  });

  it('dep resolve refuses a module that is not an extension and changes no file', async () => {
    const ws = box.workspace('ws', ociWorkspaceYaml(registry.host, NS, ['image:1.0.0']));
    const result = await box.run(['dep', 'resolve'], { cwd: ws });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/image:1\.0\.0 is a container image, not a provisioning extension/);
    expect(existsSync(join(ws, 'config', 'provisioning.lock'))).toBe(false);
    expect(existsSync(join(ws, '.provisioning', 'extensions'))).toBe(false);
  });

  it('oci inspect and oci copy still take them', async () => {
    const inspected = await box.run(['oci', 'inspect', 'wrapped:1.0.0', '--json'], { env });
    expect(inspected.code, inspected.stderr).toBe(0);
    const copied = await box.run(['oci', 'copy', 'image:1.0.0', 'image:copy'], { env });
    expect(copied.code, copied.stderr).toBe(0);
    const tags = await box.run(['oci', 'tags', 'image', '--json'], { env });
    expect(tags.stdout).toContain('copy');
  });
});
