/**
 * `oci mirror` between two real Distribution registries (the mirror behind a recording loopback
 * proxy, to count what a run transfers), `oci config` showing mirrors, and `dep resolve` installing
 * from the mirror once the upstream is stopped (docs/sources.md, "Registry mirrors").
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { publishToRegistry } from '@provisioning/fixtures';
import { Registry } from '@provisioning/oci-client';
import type { PackResult } from '@provisioning/packager';
import {
  type FaultyProxy,
  freePort,
  type RunningDistribution,
  startDistribution,
  startFaultyProxy,
} from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackOrBox, expectRefusal, jsonOk, Sandbox } from './support/run-cli.js';

const NS = 'provisioning-extensions';
const box = new Sandbox();
let upstream: RunningDistribution;
let mirror: RunningDistribution;
let proxy: FaultyProxy;
let packed: Map<string, PackResult>;
let sigTag: string;

const client = (host: string) => new Registry(host, { plainHttp: true, credentials: null });
const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A cosign-shaped signature manifest under `sha256-<hex>.sig` next to `digest` (an ordinary tag). */
async function pushSignatureTag(repository: string, digest: string): Promise<string> {
  const repo = client(upstream.host).repository(repository);
  const config = Buffer.from('{}');
  const payload = Buffer.from(JSON.stringify({ critical: { image: { 'docker-manifest-digest': digest } } }));
  await repo.push(
    { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
    config,
  );
  await repo.push(
    {
      mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
      digest: sha256(payload),
      size: payload.length,
    },
    payload,
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha256(config),
        size: config.length,
      },
      layers: [
        {
          mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
          digest: sha256(payload),
          size: payload.length,
          annotations: { 'dev.cosignproject.cosign/signature': 'MEUCIQ==' },
        },
      ],
    }),
  );
  const tag = `sha256-${digest.slice('sha256:'.length)}.sig`;
  await repo.pushManifest(manifest, 'application/vnd.oci.image.manifest.v1+json', tag);
  return tag;
}

beforeAll(async () => {
  [upstream, mirror] = await Promise.all([startDistribution(), startDistribution()]);
  proxy = await startFaultyProxy(mirror.host, { rate: 0 });
  packed = await publishToRegistry(
    upstream.host,
    NS,
    [
      { type: 'taskserv', name: 'redis', version: '1.0.0' },
      { type: 'taskserv', name: 'redis', version: '1.1.0' },
      { type: 'taskserv', name: 'etcd', version: '3.5.9' },
    ],
    join(box.root, 'publish'),
  );
  const redis = packed.get('redis@1.0.0')!.imageManifestDescriptor;
  sigTag = await pushSignatureTag(`${NS}/redis`, redis.digest);
  // a tag that is not a version: only --all-tags takes it
  await client(upstream.host).repository(`${NS}/redis`).tag(redis, 'latest');
});

afterAll(async () => {
  await proxy?.close();
  await Promise.allSettled([upstream?.stop(), mirror?.stop()]);
  box.cleanup();
});

const writes = (from: number) =>
  proxy.requests.slice(from).filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
const blobReads = (from: number) =>
  proxy.requests.slice(from).filter((r) => r.method === 'GET' && r.url.includes('/blobs/'));

describe('oci mirror', () => {
  it('copies the versions and their signature tags, keeping the repository paths', async () => {
    const out = jsonOk(await box.run(['oci', 'mirror', `${upstream.host}/${NS}`, proxy.host, '--json']));
    expect(out.repositories).toBe(2);
    expect(out.copied.map((c: { destination: string }) => c.destination).sort()).toEqual(
      [
        `${proxy.host}/${NS}/etcd:3.5.9`,
        `${proxy.host}/${NS}/redis:1.0.0`,
        `${proxy.host}/${NS}/redis:1.1.0`,
        `${proxy.host}/${NS}/redis:${sigTag}`,
      ].sort(),
    );
    const onMirror = client(mirror.host).repository(`${NS}/redis`);
    expect((await onMirror.resolve('1.0.0')).digest).toBe(
      packed.get('redis@1.0.0')!.imageManifestDescriptor.digest,
    );
    expect((await onMirror.tags()).sort()).toEqual(['1.0.0', '1.1.0', sigTag].sort());
    const layer = packed.get('redis@1.1.0')!.layer.descriptor.digest;
    expect(await onMirror.blobExists(layer)).toBe(true);
  });

  it('a second run transfers nothing: no write and no blob download reach the mirror', async () => {
    const before = proxy.requests.length;
    const result = await box.run(['oci', 'mirror', `${upstream.host}/${NS}`, proxy.host]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('0 tags copied, 4 already up to date');
    expect(writes(before)).toEqual([]);
    expect(blobReads(before)).toEqual([]);
  });

  it('--all-tags also takes tags that are not versions; only the missing one moves', async () => {
    const before = proxy.requests.length;
    const out = jsonOk(
      await box.run(['oci', 'mirror', `${upstream.host}/${NS}`, proxy.host, '--all-tags', '--json']),
    );
    expect(out.copied.map((c: { destination: string }) => c.destination)).toEqual([
      `${proxy.host}/${NS}/redis:latest`,
    ]);
    expect(out.up_to_date).toBe(4);
    // the manifest is already there: tagging it is one manifest PUT, no blob moves
    expect(writes(before).map((r) => r.method)).toEqual(['PUT']);
    expect(blobReads(before)).toEqual([]);
  });

  it('--since and a destination namespace: the versions from there on, under the new namespace', async () => {
    const out = jsonOk(
      await box.run([
        'oci',
        'mirror',
        `${upstream.host}/${NS}`,
        `${mirror.host}/airgap/ext`,
        '--since',
        '1.1.0',
        '--json',
      ]),
    );
    expect(out.copied.map((c: { destination: string }) => c.destination).sort()).toEqual([
      `${mirror.host}/airgap/ext/etcd:3.5.9`,
      `${mirror.host}/airgap/ext/redis:1.1.0`,
    ]);
  });

  it('reports every failure and exits 3 when the destination fails', async () => {
    const broken = await startFaultyProxy(mirror.host, { rate: 1, faults: ['503'] });
    try {
      const result = await box.run(['oci', 'mirror', `${upstream.host}/${NS}`, `${broken.host}/broken`]);
      expect(result.code).toBe(3);
      const failed = result.stderr.split('\n').filter((l) => l.startsWith('failed '));
      expect(failed).toHaveLength(4);
      expect(result.stderr).toContain('error: 4 of 4 mirror copies failed');
      expect(expectNoStackOrBox(result.stderr)).toEqual([]);
    } finally {
      await broken.close();
    }
  }, 60_000);

  it.each([
    [['oci', 'mirror', 'a.example.com/ns:1.0.0', 'b.example.com'], 2, 'MIRROR_ARGUMENT_INVALID'],
    [['oci', 'mirror', 'a.example.com', 'b.example.com'], 2, 'MIRROR_ARGUMENT_INVALID'],
    [['oci', 'mirror', 'ns', 'b.example.com/x@sha256:00'], 2, 'MIRROR_ARGUMENT_INVALID'],
    [['oci', 'mirror', 'ns', 'b.example.com', '--since', 'newest'], 2, 'FLAG_INVALID'],
  ])('bad arguments are one usage error: %j', async (args, code, errorCode) => {
    expectRefusal(await box.run([...args, '--json']), errorCode, code);
  });

  it('a namespace with no repositories is named', async () => {
    const result = await box.run(['oci', 'mirror', `${upstream.host}/nothing-here`, mirror.host]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: no repositories under ${upstream.host}/nothing-here`);
  });
});

describe('reading through mirrors from the CLI', () => {
  let ws: string;
  let dead: string;

  beforeAll(async () => {
    dead = `127.0.0.1:${await freePort()}`;
    ws = box.workspace(
      'ws',
      [
        'dependencies:',
        '  extensions:',
        '    oci:',
        `      registry: "${upstream.host}"`,
        `      namespace: "${NS}"`,
        '    modules:',
        '      taskservs:',
        `        - "oci://${upstream.host}/${NS}/redis:1.0.0"`,
        '  registry:',
        '    mirrors:',
        `      "${upstream.host}": ["${dead}", "${mirror.host}"]`,
        '',
      ].join('\n'),
    );
  });

  it('oci config shows the mirrors in order and the file they came from', async () => {
    const out = jsonOk(await box.run(['oci', 'config', '--json'], { cwd: ws }));
    expect(out.mirrors).toEqual({ [upstream.host]: [dead, mirror.host] });
    expect(out.sources.mirrors[upstream.host]).toEqual({
      source: 'workspace',
      origin: join(ws, 'config', 'provisioning.yaml'),
    });
    const human = await box.run(['oci', 'config'], { cwd: ws });
    expect(human.stdout).toMatch(
      new RegExp(`"${upstream.host}": "${dead}, ${mirror.host}"\\s+# workspace: `),
    );
  });

  it('oci delete decides on the upstream, never on what a mirror says the tag is', async () => {
    // `scratch` is one manifest upstream and another one on the mirror
    const upstreamRepo = client(upstream.host).repository(`${NS}/redis`);
    const config = packed.get('redis@1.0.0')!.config.descriptor;
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config,
        layers: [],
        annotations: { purpose: 'scratch' },
      }),
    );
    const scratch = await upstreamRepo.pushManifest(
      bytes,
      'application/vnd.oci.image.manifest.v1+json',
      'scratch',
    );
    const onMirror = client(mirror.host).repository(`${NS}/redis`);
    await onMirror.tag(await onMirror.resolve('1.1.0'), 'scratch');
    const out = jsonOk(
      await box.run(['oci', 'delete', `${upstream.host}/${NS}/redis:scratch`, '--yes', '--json'], {
        cwd: ws,
      }),
    );
    expect(out.digest).toBe(scratch.digest);
    expect((await onMirror.resolve('1.1.0')).digest).toBe(
      packed.get('redis@1.1.0')!.imageManifestDescriptor.digest,
    );
  });

  it('with the upstream stopped, dep resolve installs from the mirror; --debug names the skipped one', async () => {
    await upstream.stop();
    const result = await box.run(['dep', 'resolve', '--debug'], { cwd: ws });
    expect(result.code, result.stderr).toBe(0);
    const debug = result.stderr.split('\n').filter((l) => l.startsWith(`debug: mirror ${dead}/`));
    expect(debug.length).toBeGreaterThan(0);
    expect(debug[0]).toContain('skipped');
    const quiet = await box.run(
      ['oci', 'pull', `${upstream.host}/${NS}/redis:1.1.0`, '-o', join(box.root, 'pulled')],
      {
        cwd: ws,
      },
    );
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain('debug:');
  }, 60_000);
});
