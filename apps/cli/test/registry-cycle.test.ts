/**
 * The whole cycle — publish, `dep resolve` (solve + fetch + install + lock), a second resolve that
 * installs nothing — on every local storage a user can have: the embedded storage (no server),
 * the built-in server and CNCF Distribution, both started with `oci-registry start`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort, requireBinary } from '@provisioning/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { StartedRegistries, waitGone } from './support/registry-processes.js';
import { CLI_ROOT, Sandbox } from './support/run-cli.js';

const REPO = resolve(CLI_ROOT, '..', '..');
// kubernetes 1.28.0 → containerd >=1.7.0 → runc >=1.1.0, and etcd >=3.5.0 (extensions/ in this repo)
const PUBLISHED = ['runc', 'containerd', 'etcd', 'kubernetes'];
const started = new StartedRegistries();
const boxes: Sandbox[] = [];

afterAll(async () => {
  for (const box of boxes) await box.run(['oci-registry', 'stop']);
  const leaked = started.killLeftovers();
  for (const box of boxes) box.cleanup();
  expect(leaked).toEqual([]);
});

function workspaceYaml(registry: string, type: 'oci' | 'oci-layout'): string {
  return `dependencies:
  core:
    source: "oci://${registry}/provisioning-core:v3.5.0"
  extensions:
    source_type: "${type}"
    oci:
      registry: "${registry}"
      namespace: "provisioning-extensions"
      tls_enabled: false
    modules:
      taskservs:
        - "oci://${registry}/provisioning-extensions/kubernetes:1.28.0"
  registry:
    type: "${type}"
`;
}

async function cycle(box: Sandbox, registry: string, type: 'oci' | 'oci-layout') {
  const ws = box.workspace('ws', workspaceYaml(registry, type));
  const digests = new Map<string, string>();
  for (const name of PUBLISHED) {
    const r = await box.run(['oci', 'publish', name, '--dir', REPO, '--workspace', ws, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.reference).toBe(`${registry}/provisioning-extensions/${name}:${out.version}`);
    digests.set(name, out.digest);
  }

  const first = await box.run(['dep', 'resolve', '--workspace', ws, '--json']);
  expect(first.code, first.stderr).toBe(0);
  const resolved = JSON.parse(first.stdout);
  expect(resolved.installed).toBe(true);
  expect(resolved.modules.map((m: { name: string }) => m.name).sort()).toEqual([...PUBLISHED].sort());
  for (const name of PUBLISHED) {
    expect(existsSync(join(ws, '.provisioning', 'extensions', 'taskservs', name, 'manifest.yaml'))).toBe(
      true,
    );
  }
  const lock = parseYaml(readFileSync(join(ws, 'config', 'provisioning.lock'), 'utf8'));
  for (const name of PUBLISHED) {
    expect(lock.modules[name]).toMatchObject({
      type: 'taskserv',
      manifest_digest: digests.get(name),
      reference: expect.stringContaining(`${registry}/provisioning-extensions/${name}:`),
    });
  }

  const second = await box.run(['dep', 'resolve', '--workspace', ws, '--json']);
  expect(second.code, second.stderr).toBe(0);
  const again = JSON.parse(second.stdout);
  expect(again.installed).toBe(false);
  expect(again.modules.every((m: { action: string }) => m.action === 'keep')).toBe(true);
  return { ws, lock, digests };
}

async function startBackend(box: Sandbox, backend: 'builtin' | 'distribution') {
  const port = await freePort();
  const r = await box.run(['oci-registry', 'start', '--backend', backend, '--port', String(port), '--json']);
  started.record(box.home);
  expect(r.code, r.stderr).toBe(0);
  return { port, pid: JSON.parse(r.stdout).pid as number };
}

async function stopBackend(box: Sandbox, pid: number) {
  const r = await box.run(['oci-registry', 'stop', '--json']);
  expect(JSON.parse(r.stdout).outcome).toBe('stopped');
  expect(await waitGone(pid, 1000)).toBe(true);
}

describe('publish → resolve → install on each local storage', () => {
  it('embedded storage: no server, one OCI layout per repository under the home', async () => {
    const box = new Sandbox();
    boxes.push(box);
    const { lock } = await cycle(box, 'localhost:5000', 'oci-layout');
    expect(lock.modules.kubernetes.source).toBe('oci-layout');
    for (const name of PUBLISHED) {
      expect(existsSync(join(box.home, 'oci-registry', 'provisioning-extensions', name, 'oci-layout'))).toBe(
        true,
      );
    }
    // the same storage is what `oci tags` lists, with no server anywhere
    const tags = await box.run(['oci', 'tags', 'kubernetes', '--workspace', join(box.root, 'ws'), '--json']);
    expect(tags.code, tags.stderr).toBe(0);
    expect(JSON.parse(tags.stdout).tags.map((t: { version: string }) => t.version)).toEqual(['1.28.0']);
  });

  it('built-in server started by oci-registry start (serving the embedded storage)', async () => {
    const box = new Sandbox();
    boxes.push(box);
    const { port, pid } = await startBackend(box, 'builtin');
    const { lock } = await cycle(box, `127.0.0.1:${port}`, 'oci');
    expect(lock.modules.kubernetes.source).toBe('oci');
    // what the server stored is the embedded storage
    expect(
      existsSync(join(box.home, 'oci-registry', 'provisioning-extensions', 'kubernetes', 'index.json')),
    ).toBe(true);
    await stopBackend(box, pid);
  });

  it('CNCF Distribution started by oci-registry start (its own storage)', async () => {
    requireBinary('docker-registry');
    const box = new Sandbox();
    boxes.push(box);
    const { port, pid } = await startBackend(box, 'distribution');
    await cycle(box, `127.0.0.1:${port}`, 'oci');
    expect(
      existsSync(join(box.home, 'oci-registry-distribution', 'docker', 'registry', 'v2', 'repositories')),
    ).toBe(true);
    expect(existsSync(join(box.home, 'oci-registry', 'provisioning-extensions'))).toBe(false);
    const status = JSON.parse((await box.run(['oci-registry', 'status', '--json'])).stdout);
    expect(status).toMatchObject({ backend: 'distribution', repositories: PUBLISHED.length, healthy: true });
    await stopBackend(box, pid);
  });
});
