/**
 * Air-gap bundles (docs/air-gap.md) with real Distribution registries, skopeo and umoci:
 * `bundle create` from a resolved workspace, `bundle inspect`, `bundle push` to an empty registry,
 * then `dep resolve --frozen` through it with the original registry stopped, and
 * `dep resolve --from-bundle` with no registry at all; split bundles; bad input.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KUBERNETES_GRAPH, publishToRegistry } from '@provisioning/fixtures';
import { Registry } from '@provisioning/oci-client';
import type { PackResult } from '@provisioning/packager';
import { type RunningDistribution, requireBinary, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefusal, jsonOk, Sandbox } from './support/run-cli.js';

const exec = promisify(execFile);
const skopeo = requireBinary('skopeo');
const umoci = requireBinary('umoci');
const NS = 'provisioning-extensions';
const box = new Sandbox();
let upstream: RunningDistribution;
let site: RunningDistribution;
let packed: Map<string, PackResult>;
let ws: string;
let bundle: string;
let sigTag: string;

const client = (host: string) => new Registry(host, { plainHttp: true, credentials: null });
const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const fileDigest = (path: string) => sha256(readFileSync(path));

/** The workspace config; `mirrors` lists registries tried before the original one. */
function config(mirrors: string[] = []): string {
  return [
    'dependencies:',
    '  extensions:',
    '    oci:',
    `      registry: "${upstream.host}"`,
    `      namespace: "${NS}"`,
    '    modules:',
    '      taskservs:',
    `        - "oci://${upstream.host}/${NS}/kubernetes:1.28.0"`,
    `        - "oci://${upstream.host}/${NS}/redis:1.0.0"`,
    '  platform:',
    '    images:',
    `      orchestrator: "${upstream.host}/provisioning-platform/orchestrator:v1.2.0"`,
    ...(mirrors.length > 0
      ? [
          '  registry:',
          '    mirrors:',
          `      "${upstream.host}": [${mirrors.map((m) => `"${m}"`).join(', ')}]`,
        ]
      : []),
    '',
  ].join('\n');
}

/** A fresh copy of the workspace (config and lock), with its own empty PROVISIONING_HOME. */
function freshCopy(name: string, mirrors: string[] = []): { dir: string; env: Record<string, string> } {
  const dir = box.workspace(name, config(mirrors));
  writeFileSync(
    join(dir, 'config', 'provisioning.lock'),
    readFileSync(join(ws, 'config', 'provisioning.lock')),
  );
  const home = join(box.root, `${name}-home`);
  mkdirSync(home);
  return { dir, env: { PROVISIONING_HOME: home } };
}

beforeAll(async () => {
  [upstream, site] = await Promise.all([startDistribution(), startDistribution()]);
  packed = await publishToRegistry(upstream.host, NS, [...KUBERNETES_GRAPH], join(box.root, 'publish'));
  // a platform image (any manifest will do for digest pinning), and a signature tag beside redis
  const image = packed.get('etcd@3.5.9')!;
  const platform = client(upstream.host).repository('provisioning-platform/orchestrator');
  const from = client(upstream.host).repository(`${NS}/etcd`);
  const { copy } = await import('@provisioning/oci-client');
  await copy(from, image.imageManifestDescriptor.digest, platform, 'v1.2.0');
  const redis = packed.get('redis@1.0.0')!.imageManifestDescriptor.digest;
  sigTag = `sha256-${redis.slice(7)}.sig`;
  const repo = client(upstream.host).repository(`${NS}/redis`);
  const empty = Buffer.from('{}');
  await repo.push(
    { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(empty), size: 2 },
    empty,
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(empty), size: 2 },
      layers: [],
    }),
  );
  await repo.pushManifest(manifest, 'application/vnd.oci.image.manifest.v1+json', sigTag);

  ws = box.workspace('ws', config());
  const resolved = await box.run(['dep', 'resolve'], { cwd: ws });
  expect(resolved.code, resolved.stderr).toBe(0);
  bundle = join(box.root, 'site.tar');
});

afterAll(async () => {
  await Promise.allSettled([upstream?.stop(), site?.stop()]);
  box.cleanup();
});

describe('bundle create', () => {
  it('writes every locked extension, the platform image and the signature, named by original reference', async () => {
    const out = jsonOk(await box.run(['bundle', 'create', '-o', bundle, '--json'], { cwd: ws }));
    expect(out.files).toEqual([bundle]);
    const refs = out.artifacts
      .map((a: { kind: string; reference: string }) => `${a.kind} ${a.reference}`)
      .sort();
    expect(refs).toEqual(
      [
        ...['containerd:1.7.0', 'etcd:3.5.9', 'kubernetes:1.28.0', 'redis:1.0.0', 'runc:1.1.12'].map(
          (r) => `extension ${upstream.host}/${NS}/${r}`,
        ),
        `platform-image ${upstream.host}/provisioning-platform/orchestrator:v1.2.0`,
        `signature ${upstream.host}/${NS}/redis:${sigTag}`,
      ].sort(),
    );
  });

  it('is deterministic: the same lock gives the same bytes, also from a cold cache', async () => {
    const again = join(box.root, 'again.tar');
    const { dir, env } = freshCopy('cold');
    jsonOk(await box.run(['bundle', 'create', '-o', again, '--json'], { cwd: dir, env }));
    expect(fileDigest(again)).toBe(fileDigest(bundle));
  });

  it('skopeo and umoci read it as an OCI image layout archive', async () => {
    const ref = `${upstream.host}/${NS}/kubernetes:1.28.0`;
    const { stdout } = await exec(skopeo, ['inspect', '--raw', `oci-archive:${bundle}:${ref}`], {
      encoding: 'buffer',
    });
    expect(sha256(stdout)).toBe(packed.get('kubernetes@1.28.0')!.imageManifestDescriptor.digest);
    const dir = join(box.root, 'extracted');
    mkdirSync(dir);
    await exec('tar', ['-xf', bundle, '-C', dir]);
    const listed = (await exec(umoci, ['ls', '--layout', dir])).stdout.split('\n').filter(Boolean);
    expect(listed).toContain(ref);
    expect(listed).toHaveLength(7);
  });

  it('bundle inspect lists the contents', async () => {
    const out = jsonOk(await box.run(['bundle', 'inspect', bundle, '--json']));
    expect(out.artifacts).toHaveLength(7);
    const redis = out.artifacts.find((a: { reference: string }) => a.reference.endsWith('/redis:1.0.0'));
    expect(redis).toMatchObject({
      kind: 'extension',
      name: 'redis',
      digest: packed.get('redis@1.0.0')!.imageManifestDescriptor.digest,
    });
    const human = await box.run(['bundle', 'inspect', bundle]);
    expect(human.stdout).toContain(`${upstream.host}/${NS}/redis:${sigTag}`);
    expect(human.stdout).toMatch(/7 artifacts, .*\/site\.tar$/m);
  });

  it('--max-size splits it into parts that are the same bytes, and every command reads the parts', async () => {
    const split = join(box.root, 'split', 'site.tar');
    mkdirSync(join(box.root, 'split'));
    const out = jsonOk(
      await box.run(['bundle', 'create', '-o', split, '--max-size', '8K', '--json'], { cwd: ws }),
    );
    expect(out.files.length).toBeGreaterThan(2);
    expect(out.files[0]).toBe(`${split}.000`);
    const joined = Buffer.concat(out.files.map((f: string) => readFileSync(f)));
    expect(out.files.every((f: string) => readFileSync(f).length <= 8192)).toBe(true);
    expect(sha256(joined)).toBe(fileDigest(bundle));
    expect(jsonOk(await box.run(['bundle', 'inspect', `${split}.000`, '--json'])).artifacts).toHaveLength(7);
    expect(jsonOk(await box.run(['bundle', 'inspect', split, '--json'])).parts).toEqual(out.files);
  });
});

describe('bundle push, then install in the air-gapped site', () => {
  it('pushes everything to an empty registry; a second push uploads nothing', async () => {
    const out = jsonOk(await box.run(['bundle', 'push', bundle, site.host, '--json']));
    expect(out.pushed).toHaveLength(7);
    const onSite = client(site.host).repository(`${NS}/redis`);
    expect((await onSite.tags()).sort()).toEqual(['1.0.0', sigTag].sort());
    const again = jsonOk(await box.run(['bundle', 'push', bundle, site.host, '--json']));
    expect(again.pushed).toEqual([]);
    expect(again.up_to_date).toBe(7);
  });

  it('--namespace-map puts the repositories under another namespace', async () => {
    const out = jsonOk(
      await box.run([
        'bundle',
        'push',
        `${join(box.root, 'split', 'site.tar')}.000`,
        site.host,
        '--namespace-map',
        `${NS}=airgap/ext`,
        '--json',
      ]),
    );
    expect(out.pushed.map((p: { destination: string }) => p.destination)).toContain(
      `${site.host}/airgap/ext/redis:1.0.0`,
    );
    // the platform image is outside the mapped namespace: already there from the first push
    expect(out.pushed).toHaveLength(6);
    expect(out.up_to_date).toBe(1);
    const mapped = client(site.host).repository('airgap/ext/redis');
    expect((await mapped.resolve(sigTag)).digest).toBe(
      (await client(site.host).repository(`${NS}/redis`).resolve(sigTag)).digest,
    );
  });

  it('with the original registry stopped, dep resolve --frozen installs through the site registry', async () => {
    await upstream.stop();
    const { dir, env } = freshCopy('site-ws', [site.host]);
    const result = await box.run(['dep', 'resolve', '--frozen'], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    expect(
      existsSync(join(dir, '.provisioning', 'extensions', 'taskservs', 'kubernetes', 'manifest.yaml')),
    ).toBe(true);
  }, 60_000);

  it('dep resolve --from-bundle installs with no registry at all, frozen or not', async () => {
    const { dir, env } = freshCopy('from-bundle');
    const frozen = await box.run(['dep', 'resolve', '--frozen', '--from-bundle', bundle], { cwd: dir, env });
    expect(frozen.code, frozen.stderr).toBe(0);
    expect(frozen.stdout).toContain(`content from the bundle ${bundle}`);
    expect(readdirSync(join(dir, '.provisioning', 'extensions', 'taskservs')).sort()).toEqual([
      'containerd',
      'etcd',
      'kubernetes',
      'redis',
      'runc',
    ]);
    rmSync(join(dir, 'config', 'provisioning.lock'));
    rmSync(join(dir, '.provisioning'), { recursive: true });
    const solved = await box.run(['dep', 'resolve', '--from-bundle', bundle, '--json'], { cwd: dir, env });
    const out = jsonOk(solved);
    expect(out.modules.map((m: { name: string }) => m.name).sort()).toEqual([
      'containerd',
      'etcd',
      'kubernetes',
      'redis',
      'runc',
    ]);
    expect(readFileSync(join(dir, 'config', 'provisioning.lock'), 'utf8')).toBe(
      readFileSync(join(ws, 'config', 'provisioning.lock'), 'utf8'),
    );
  }, 60_000);
});

describe('bad input', () => {
  const cases: [string, () => string[], number, string][] = [
    ['a missing file', () => ['bundle', 'inspect', join(box.root, 'nope.tar')], 1, 'FILE_NOT_FOUND'],
    [
      'a file that is not a tar',
      () => ['bundle', 'inspect', writeJunk('junk.tar', Buffer.alloc(2048, 7))],
      1,
      'BUNDLE_INVALID',
    ],
    [
      'a truncated bundle',
      () => ['bundle', 'inspect', writeJunk('cut.tar', readFileSync(bundle).subarray(0, 6000))],
      1,
      'BUNDLE_INVALID',
    ],
    ['a tar that is no image layout', () => ['bundle', 'inspect', plainTar()], 1, 'BUNDLE_INVALID'],
    [
      'a bad namespace map',
      () => ['bundle', 'push', bundle, site.host, '--namespace-map', 'only-one'],
      2,
      'FLAG_INVALID',
    ],
    [
      'a bad --max-size',
      () => ['bundle', 'create', '-o', join(box.root, 'x.tar'), '--max-size', '10 apples'],
      2,
      'FLAG_INVALID',
    ],
    [
      'a missing bundle for dep resolve',
      () => ['dep', 'resolve', '--from-bundle', join(box.root, 'nope.tar')],
      1,
      'FILE_NOT_FOUND',
    ],
  ];
  it.each(cases)('%s: one error line, a stable code', async (_name, args, exit, code) => {
    expectRefusal(await box.run([...args(), '--json'], { cwd: ws }), code, exit);
  });

  it('registry.type http is refused by name, pointing at bundles, never read as OCI', async () => {
    const dir = box.workspace('http-type', 'dependencies:\n  registry:\n    type: "http"\n');
    const result = await box.run(['dep', 'resolve'], { cwd: dir });
    expect(result.code).toBe(1);
    const [line, hint] = result.stderr.trimEnd().split('\n');
    expect(line).toBe(
      `error: ${dir}/config/provisioning.yaml: dependencies.registry.type: "http" is not supported yet`,
    );
    expect(hint).toContain('"oci" for any OCI registry');
    expect(hint).toContain('"oci-layout" for a directory');
    expect(hint).toContain('dep resolve --from-bundle FILE.tar');
  });

  it('a missing part is named', async () => {
    const dir = join(box.root, 'gap');
    mkdirSync(dir);
    const parts = readdirSync(join(box.root, 'split'));
    for (const part of parts)
      if (!part.endsWith('.001')) writeFileSync(join(dir, part), readFileSync(join(box.root, 'split', part)));
    const result = await box.run(['bundle', 'inspect', join(dir, 'site.tar.000')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: ${join(dir, 'site.tar.001')} is missing`);
  });

  it('a bundle create that cannot reach its content writes no file', async () => {
    // the upstream is stopped by now and this workspace's cache is empty
    const { dir, env } = freshCopy('unreachable');
    const output = join(box.root, 'never.tar');
    const result = await box.run(['bundle', 'create', '-o', output, '--timeout', '2s'], { cwd: dir, env });
    expect(result.code).toBe(3);
    expect(readdirSync(box.root).filter((f) => f.startsWith('never.tar'))).toEqual([]);
  }, 60_000);
});

function writeJunk(name: string, bytes: Buffer): string {
  const path = join(box.root, name);
  writeFileSync(path, bytes);
  return path;
}

function plainTar(): string {
  const dir = join(box.root, 'plain');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'hello.txt'), 'hello\n');
  const path = join(box.root, 'plain.tar');
  execFileSync('tar', ['-cf', path, '-C', dir, 'hello.txt']);
  return path;
}
