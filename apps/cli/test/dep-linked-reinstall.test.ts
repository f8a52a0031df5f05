/**
 * A frozen reinstall with a warm cache links rather than copies, and asks the registry nothing:
 * installed files share their inode with the cache's tree store, and a counting proxy in front of
 * the registry sees no request. Installed files are read-only.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KUBERNETES_GRAPH, publishToRegistry } from '@provisioning/fixtures';
import {
  type FaultyProxy,
  type RunningDistribution,
  startDistribution,
  startFaultyProxy,
} from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './support/run-cli.js';
import { ociWorkspaceYaml } from './support/workspace-yaml.js';

const box = new Sandbox();
let registry: RunningDistribution;
let proxy: FaultyProxy;
let ws: string;

beforeAll(async () => {
  registry = await startDistribution();
  await publishToRegistry(
    registry.host,
    'provisioning-extensions',
    KUBERNETES_GRAPH,
    join(box.root, 'publish'),
  );
  // rate 0: a plain forwarding proxy that records every request
  proxy = await startFaultyProxy(registry.host, { rate: 0 });
  ws = box.workspace('ws', ociWorkspaceYaml(proxy.host, 'provisioning-extensions', ['kubernetes:1.28.0']));
});

afterAll(async () => {
  await proxy?.close();
  await registry?.stop();
  box.cleanup();
});

const run = (args: string[]) => box.run(args, { cwd: ws });

/** Every file under `dir`, relative, with its stat. */
async function files(
  dir: string,
  prefix = '',
): Promise<Map<string, { ino: number; nlink: number; mode: number }>> {
  const out = new Map<string, { ino: number; nlink: number; mode: number }>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) for (const [k, v] of await files(abs, `${prefix}${entry.name}/`)) out.set(k, v);
    else if (entry.isFile()) {
      const info = await stat(abs);
      out.set(`${prefix}${entry.name}`, { ino: info.ino, nlink: info.nlink, mode: info.mode });
    }
  }
  return out;
}

describe('dep resolve --frozen with a warm cache', () => {
  it('makes 0 registry requests and hard-links every installed file from the tree store', async () => {
    const cold = await run(['dep', 'resolve']);
    expect(cold.code).toBe(0);
    expect(proxy.requests.length).toBeGreaterThan(0);

    await rm(join(ws, '.provisioning'), { recursive: true, force: true });
    const before = proxy.requests.length;
    const frozen = await run(['dep', 'resolve', '--frozen']);
    expect(frozen.code).toBe(0);
    expect(proxy.requests.slice(before)).toEqual([]);

    // the lockfile names each module's layer digest; its tree lives under the cache's .trees
    const lock = await readFile(join(ws, 'config', 'provisioning.lock'), 'utf8');
    const storeRoot = join(box.home, 'oci-cache', '.trees', 'sha256');
    const trees = await readdir(storeRoot);
    expect(trees.length).toBeGreaterThanOrEqual(3);
    const installedRoot = join(ws, '.provisioning', 'extensions', 'taskservs');
    let checked = 0;
    for (const module of await readdir(installedRoot)) {
      const installed = await files(join(installedRoot, module));
      // the tree whose packaging metadata is the installed one
      const meta = await readFile(join(installedRoot, module, 'oci-manifest.json'), 'utf8');
      let tree: string | undefined;
      for (const hex of trees) {
        const candidate = await readFile(join(storeRoot, hex, 'oci-manifest.json'), 'utf8').catch(() => '');
        if (candidate === meta) tree = hex;
      }
      expect(tree, `no store tree for ${module}`).toBeDefined();
      expect(lock).toContain(`sha256:${tree}`);
      const stored = await files(join(storeRoot, tree!));
      for (const [path, info] of installed) {
        expect(stored.get(path)?.ino, `${module}/${path}`).toBe(info.ino);
        expect(info.nlink).toBeGreaterThan(1);
        expect(info.mode & 0o222).toBe(0);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
    expect((await run(['dep', 'validate'])).code).toBe(0);
  });
});
