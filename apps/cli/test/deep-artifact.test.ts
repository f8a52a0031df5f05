// A registry that serves a manifest or a config blob nested thousands of levels deep (issue 10,
// defect 15): extension commands refuse it in one line naming the reference, exit 1, nothing
// written, instead of overflowing the stack on a recursive walk.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackOrBox, Sandbox } from './support/run-cli.js';
import { ociWorkspaceYaml } from './support/workspace-yaml.js';

const box = new Sandbox();
let registry: RunningDistribution;
const NS = 'provisioning-extensions';
const DEPTH = 5000; // Distribution itself parses JSON up to 10,000 levels
let env: Record<string, string>;

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function pushBlob(repo: string, bytes: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha256(bytes);
  const started = await fetch(`http://${registry.host}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  expect(started.status).toBe(202);
  const location = new URL(started.headers.get('location') ?? '', `http://${registry.host}`);
  location.searchParams.set('digest', digest);
  expect((await fetch(location, { method: 'PUT', body: bytes })).status).toBe(201);
  return { digest, size: bytes.length };
}

async function pushManifest(repo: string, tag: string, body: Buffer): Promise<void> {
  const put = await fetch(`http://${registry.host}/v2/${repo}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body,
  });
  expect(put.status, await put.text()).toBe(201);
}

const nested = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;

beforeAll(async () => {
  registry = await startDistribution();
  env = { PROVISIONING_REGISTRY: registry.host };
  const dir = join(box.root, 'redis');
  expect((await box.run(['generate', 'extension', 'taskserv', 'redis', '--dir', dir])).code).toBe(0);
  expect((await box.run(['oci', 'push', dir, 'redis', '1.0.0'], { env })).code).toBe(0);
  const res = await fetch(`http://${registry.host}/v2/${NS}/redis/manifests/1.0.0`, {
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  const ours = JSON.parse(Buffer.from(await res.arrayBuffer()).toString('utf8'));
  const mount = async (repo: string) => {
    for (const blob of [ours.config, ...ours.layers]) {
      const mounted = await fetch(
        `http://${registry.host}/v2/${repo}/blobs/uploads/?mount=${blob.digest}&from=${NS}/redis`,
        { method: 'POST' },
      );
      expect(mounted.status).toBe(201);
    }
  };
  // the extension's own manifest with a deeply nested field nobody reads
  await mount(`${NS}/deepmanifest`);
  const manifest = JSON.stringify(ours).replace(/}$/, `,"x-extra":${nested}}`);
  await pushManifest(`${NS}/deepmanifest`, '1.0.0', Buffer.from(manifest));
  // the extension's layer under a config blob that nests deeply
  await mount(`${NS}/deepconfig`);
  const config = await pushBlob(`${NS}/deepconfig`, Buffer.from(`{"name":"deepconfig","x":${nested}}`));
  const withConfig = { ...ours, config: { ...ours.config, ...config } };
  await pushManifest(`${NS}/deepconfig`, '1.0.0', Buffer.from(JSON.stringify(withConfig)));
});

afterAll(async () => {
  await registry?.stop();
  box.cleanup();
});

describe('deeply nested content from a registry', () => {
  it('oci pull: a deep manifest is one line naming it, exit 1, nothing written', async () => {
    const out = join(box.root, 'out');
    const result = await box.run(['oci', 'pull', 'deepmanifest:1.0.0', '-o', out], {
      env,
      nodeOptions: ['--stack-size=300'],
    });
    expect(result.code, result.stderr).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^error: manifest .*deepmanifest:1\.0\.0.* is nested more than 64 levels deep$/);
    expect(lines.slice(1).every((line) => line.startsWith('  hint: '))).toBe(true);
    expect(expectNoStackOrBox(result.stderr)).toEqual([]);
    expect(existsSync(out)).toBe(false);
    const json = await box.run(['oci', 'pull', 'deepmanifest:1.0.0', '-o', out, '--json'], { env });
    expect(JSON.parse(json.stdout).error.code).toBe('INPUT_TOO_DEEP');
  });

  it('dep resolve: a deep config blob is one line naming it, exit 1, no file changed', async () => {
    const ws = box.workspace('ws', ociWorkspaceYaml(registry.host, NS, ['deepconfig:1.0.0']));
    const result = await box.run(['dep', 'resolve'], { cwd: ws, nodeOptions: ['--stack-size=300'] });
    expect(result.code, result.stderr).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^error: the config blob of .*deepconfig:1\.0\.0 is nested more than 64 levels deep$/,
    );
    expect(expectNoStackOrBox(result.stderr)).toEqual([]);
    expect(existsSync(join(ws, 'config', 'provisioning.lock'))).toBe(false);
    expect(existsSync(join(ws, '.provisioning', 'extensions'))).toBe(false);
  });
});
