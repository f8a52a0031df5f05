/**
 * copy between our layouts, a real CNCF Distribution registry and the built-in registry server,
 * through the package's own registry client; skopeo checks what lands in the registries.
 */
import { join } from 'node:path';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CopyProgressEvent,
  copy,
  OciLayout,
  Registry,
  type RunningRegistryServer,
  startRegistryServer,
} from '../src/index.js';
import {
  makeArtifact,
  makeIndex,
  makeTempDir,
  pushImage,
  readAll,
  skopeo,
} from '../src/layout/test-support/fixtures.js';

const FAST_RETRY = { maxTries: 2, baseDelayMs: 10, minDelayMs: 5, maxDelayMs: 20 };

let dir: { path: string; cleanup(): Promise<void> };
let distribution: RunningDistribution;
let builtin: RunningRegistryServer;
let distributionClient: Registry;
let builtinClient: Registry;
let source: OciLayout;

beforeAll(async () => {
  dir = await makeTempDir('copy-registry-');
  [distribution, builtin] = await Promise.all([
    startDistribution(),
    startRegistryServer({ root: join(dir.path, 'builtin'), port: 0 }),
  ]);
  distributionClient = new Registry(distribution.host, { credentials: null, retry: FAST_RETRY });
  builtinClient = new Registry(new URL(builtin.url).host, { credentials: null, retry: FAST_RETRY });
  source = await OciLayout.open(join(dir.path, 'source'), { create: true });
});
afterAll(async () => {
  await distributionClient?.close();
  await builtinClient?.close();
  await builtin?.close();
  await distribution?.stop();
  await dir?.cleanup();
});

describe('copy with registries', () => {
  it('layout → Distribution → layout keeps digests and bytes', async () => {
    const artifact = makeArtifact('kubernetes');
    await pushImage(source, artifact, '1.28.0');
    const remote = distributionClient.repository('provisioning-extensions/kubernetes');
    const pushed = await copy(source, '1.28.0', remote, '1.28.0');
    expect(pushed.digest).toBe(artifact.manifest.desc.digest);
    const raw = await skopeo(
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${distribution.host}/provisioning-extensions/kubernetes:1.28.0`,
    );
    expect(Buffer.from(raw).equals(artifact.manifest.bytes)).toBe(true);

    const back = await OciLayout.open(join(dir.path, 'back'), { create: true });
    await copy(remote, '1.28.0', back, '1.28.0');
    expect((await back.resolve('1.28.0')).digest).toBe(artifact.manifest.desc.digest);
    const layer = artifact.layers[0]!;
    expect((await readAll(await back.fetch(layer.desc))).equals(layer.bytes)).toBe(true);
  });

  it('pushes a new artifact with one HEAD per blob and one manifest PUT under its tag', async () => {
    const artifact = makeArtifact('lean');
    await pushImage(source, artifact, '2.0.0');
    const lines: string[] = [];
    const recorded = new Registry(distribution.host, {
      credentials: null,
      retry: FAST_RETRY,
      debug: (line) => lines.push(line),
    });
    try {
      await copy(source, '2.0.0', recorded.repository('provisioning-extensions/lean'), '2.0.0');
    } finally {
      await recorded.close();
    }
    const requests = lines.filter((line) => /^[A-Z]+ /.test(line)).map((line) => line.split(' → ')[0]!);
    const blobs = [artifact.config.desc, ...artifact.layers.map((l) => l.desc)];
    for (const blob of blobs) {
      expect(
        requests.filter((r) => r.startsWith('HEAD') && r.endsWith(`/blobs/${blob.digest}`)),
      ).toHaveLength(1);
    }
    expect(requests.filter((r) => r.startsWith('PUT') && r.includes('/manifests/'))).toEqual([
      `PUT http://${distribution.host}/v2/provisioning-extensions/lean/manifests/2.0.0`,
    ]);
    expect(requests.some((r) => r.startsWith('GET') && r.includes('/manifests/'))).toBe(false);
    const tagged = await distributionClient.repository('provisioning-extensions/lean').resolve('2.0.0');
    expect(tagged.digest).toBe(artifact.manifest.desc.digest);
  });

  it('reads a tagged source manifest with one GET, not a HEAD and a GET by digest', async () => {
    const lines: string[] = [];
    const recorded = new Registry(distribution.host, {
      credentials: null,
      retry: FAST_RETRY,
      debug: (line) => lines.push(line),
    });
    const out = await OciLayout.open(join(dir.path, 'lean-out'), { create: true });
    try {
      await copy(recorded.repository('provisioning-extensions/lean'), '2.0.0', out, '2.0.0');
    } finally {
      await recorded.close();
    }
    const manifestRequests = lines
      .filter((line) => line.includes('/manifests/'))
      .map((l) => l.split(' → ')[0]);
    expect(manifestRequests).toEqual([
      `GET http://${distribution.host}/v2/provisioning-extensions/lean/manifests/2.0.0`,
    ]);
    expect(lines.filter((line) => line.startsWith('GET') && line.includes('/blobs/'))).toHaveLength(2);
    expect((await out.resolve('2.0.0')).digest).toBe((await source.resolve('2.0.0')).digest);
  });

  it('mounts blobs between repositories of one registry instead of streaming them', async () => {
    const from = distributionClient.repository('provisioning-extensions/kubernetes');
    const to = distributionClient.repository('mirror/kubernetes');
    const events: CopyProgressEvent[] = [];
    await copy(from, '1.28.0', to, '1.28.0', { onProgress: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'blob-mounted')).toHaveLength(2);
    expect(events.some((e) => e.type === 'bytes')).toBe(false);
    expect(await to.tags()).toEqual(['1.28.0']);
  });

  it('copies a multi-manifest index into Distribution and the built-in server', async () => {
    const children = [makeArtifact('amd64'), makeArtifact('arm64')];
    for (const child of children) await pushImage(source, child);
    const index = makeIndex(children);
    await source.push(index.desc, index.bytes);
    await source.tag(index.desc, 'multi');
    for (const client of [distributionClient, builtinClient]) {
      const repo = client.repository('platform/multi');
      await copy(source, 'multi', repo, 'multi');
      const resolved = await repo.resolve('multi');
      expect(resolved).toMatchObject({ digest: index.desc.digest, mediaType: index.desc.mediaType });
      for (const child of children) expect(await repo.exists(child.manifest.desc)).toBe(true);
    }
  });

  it('carries referrers through the built-in server (referrers API) and Distribution (tag fallback)', async () => {
    const subject = makeArtifact('signed');
    await pushImage(source, subject, 'signed');
    const signature = makeArtifact('signature', {
      artifactType: 'application/vnd.example.signature',
      subject: subject.manifest.desc,
    });
    await pushImage(source, signature);
    await source.addManifest(signature.manifest.desc);

    for (const client of [builtinClient, distributionClient]) {
      const repo = client.repository('signed/app');
      await copy(source, 'signed', repo, 'signed', { referrers: true });
      const referrers = await repo.referrers(subject.manifest.desc.digest);
      expect(referrers.map((r) => r.digest)).toEqual([signature.manifest.desc.digest]);
      expect(referrers[0]!.artifactType).toBe('application/vnd.example.signature');

      const back = await OciLayout.open(join(dir.path, `signed-back-${client.host.replace(/[^0-9]/g, '')}`), {
        create: true,
      });
      await copy(repo, 'signed', back, 'signed', { referrers: true });
      expect((await back.referrers(subject.manifest.desc)).map((r) => r.digest)).toEqual([
        signature.manifest.desc.digest,
      ]);
    }
  });

  it('built-in server → Distribution, both driven by our client', async () => {
    const artifact = makeArtifact('redis');
    await pushImage(source, artifact, '1.0.0');
    const onBuiltin = builtinClient.repository('provisioning-extensions/redis');
    await copy(source, '1.0.0', onBuiltin, '1.0.0');
    const onDistribution = distributionClient.repository('provisioning-extensions/redis');
    await copy(onBuiltin, '1.0.0', onDistribution, '1.0.0');
    expect((await onDistribution.resolve('1.0.0')).digest).toBe(artifact.manifest.desc.digest);
    expect(await onBuiltin.tags()).toEqual(['1.0.0']);
  });

  it('reads a layout skopeo wrote from Distribution and serves it from the built-in server', async () => {
    const skopeoLayout = join(dir.path, 'skopeo-written');
    await skopeo(
      '--override-os=linux',
      '--override-arch=amd64',
      'copy',
      '--src-tls-verify=false',
      `docker://${distribution.host}/platform/multi:multi`,
      `oci:${skopeoLayout}:multi`,
    );
    const layout = await OciLayout.open(skopeoLayout);
    const resolved = await layout.resolve('multi');
    // skopeo copies one platform by default: the amd64 child manifest
    const { manifest } = await layout.readManifest(resolved);
    expect('layers' in manifest).toBe(true);
    const repo = builtinClient.repository('from/skopeo');
    await copy(layout, 'multi', repo, 'amd64');
    expect((await repo.resolve('amd64')).digest).toBe(resolved.digest);
  });
});
