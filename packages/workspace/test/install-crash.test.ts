/**
 * Atomicity and exclusion, with real processes: a child running the install is SIGKILLed at several
 * points (the test hook pauses it there) and the workspace must be exactly as before or exactly as
 * after; two concurrent runs never interleave, and a run that cannot get the lock in time fails with
 * WORKSPACE_LOCKED.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  configText,
  type ExtensionSpec,
  installedSnapshot,
  KUBERNETES_GRAPH,
  publishToRegistry,
  settingsFor,
} from '@provisioning/fixtures';
import { type RunningDistribution, startDistribution, type TempDir, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverWorkspace } from '../src/install/generations.js';
import { resolveWorkspace } from '../src/resolve/resolve-workspace.js';
import type { WorkspaceSettings } from '../src/settings/workspace-settings.js';
import { withWorkspaceLock } from '../src/workspace-lock/workspace-lock.js';

const here = dirname(fileURLToPath(import.meta.url));
const CHILD = join(here, 'resolve-child.mjs');
const SPECS: ExtensionSpec[] = [...KUBERNETES_GRAPH];

let registry: RunningDistribution;
let tmp: TempDir;
let home: string;
const children = new Set<ChildProcess>();

interface State {
  files: string[];
  lock: string;
}
let before: State;
let after: State;
let pristine: string;

function settingsAt(root: string, text: string): WorkspaceSettings {
  return settingsFor(root, text, { registry: registry.host, home });
}

const config = (k8s: string, extra: string[] = []) =>
  configText({
    registry: registry.host,
    taskservs: [`${registry.host}/provisioning-extensions/kubernetes:${k8s}`, ...extra],
  });

async function state(root: string): Promise<State> {
  return {
    files: await installedSnapshot(root),
    lock: await readFile(join(root, 'config', 'provisioning.lock'), 'utf8').catch(() => ''),
  };
}

/** Fresh copy of the "before" workspace (installed 1.28.0) whose config now asks for 1.29.0 + redis. */
async function stagedWorkspace(name: string): Promise<{ root: string; settings: WorkspaceSettings }> {
  const root = join(tmp.path, name);
  await rm(root, { recursive: true, force: true });
  await cp(pristine, root, { recursive: true, verbatimSymlinks: true });
  const text = config('1.29.0', [`${registry.host}/provisioning-extensions/redis:1.0.0`]);
  await writeFile(join(root, 'config', 'provisioning.yaml'), text);
  return { root, settings: settingsAt(root, text) };
}

function runChild(settings: WorkspaceSettings, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CHILD, JSON.stringify(settings), '{}'], {
    env: { ...process.env, PROVISIONING_HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  const paused = new Promise<string>((resolve) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      const match = /paused at (\S+)/.exec(stderr);
      if (match) resolve(match[1]!);
    });
  });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, paused, exited };
}

beforeAll(async () => {
  // the child imports the built package
  const build = spawnSync(process.execPath, [require_tsc(), '-p', join(here, '..', 'tsconfig.build.json')], {
    encoding: 'utf8',
  });
  if (build.status !== 0)
    throw new Error(`building @provisioning/workspace failed:\n${build.stdout}${build.stderr}`);
  registry = await startDistribution();
  tmp = await tempDir('ws-crash-');
  home = join(tmp.path, 'home');
  await publishToRegistry(registry.host, 'provisioning-extensions', SPECS, join(tmp.path, 'publish'));

  pristine = join(tmp.path, 'pristine');
  const text = config('1.28.0');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(pristine, 'config'), { recursive: true });
  await writeFile(join(pristine, 'config', 'provisioning.yaml'), text);
  await resolveWorkspace({ settings: settingsAt(pristine, text), coreVersion: '3.5.0' });
  before = await state(pristine);

  const reference = await stagedWorkspace('reference');
  const done = runChild(reference.settings);
  const result = await done.exited;
  expect(result.stdout).toBe('done true\n');
  after = await state(reference.root);
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await registry?.stop();
  await tmp?.remove();
});

function require_tsc(): string {
  return join(here, '..', '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
}

describe('killing an install', () => {
  it('the reference states differ (the update really changes files and lock)', () => {
    expect(before.files.some((f) => f.startsWith('taskservs/kubernetes/manifest.yaml'))).toBe(true);
    expect(after.files.some((f) => f.startsWith('taskservs/redis/'))).toBe(true);
    expect(before.files.some((f) => f.startsWith('taskservs/redis/'))).toBe(false);
    expect(after.lock).toContain('version: 1.29.0');
    expect(before.lock).not.toBe(after.lock);
  });

  const points = [
    'after-lock',
    'after-fetch',
    // inside the parallel, bounded population of the generation: a tree unpacked into the store's
    // temp dir but not renamed, and modules linked while others are still in flight
    'before-tree-rename',
    'after-extract:runc',
    'after-extract:redis',
    'before-switch',
    'after-switch',
    'after-lockfile',
  ];
  for (const point of points) {
    it(`SIGKILL at ${point} leaves the workspace as before or as after`, async () => {
      const { root, settings } = await stagedWorkspace(`kill-${point.replace(':', '-')}`);
      // an empty tree store: every module is unpacked, in parallel, on the way to the switch
      await rm(join(home, 'oci-cache', '.trees'), { recursive: true, force: true });
      const run = runChild(settings, { PROVISIONING_TEST_PAUSE_AT: point });
      expect(await run.paused).toBe(point);
      run.child.kill('SIGKILL');
      const exit = await run.exited;
      expect(exit.signal).toBe('SIGKILL');

      const raw = await state(root);
      expect([before.files, after.files]).toContainEqual(raw.files);
      // before the switch nothing the user sees has changed, lockfile included
      if (JSON.stringify(raw.files) === JSON.stringify(before.files)) {
        expect(raw.lock).toBe(before.lock);
      }
      // the next run (stale lock of the dead process taken over) repairs a half-finished switch
      await withWorkspaceLock(root, () => recoverWorkspace(root), { timeoutMs: 5000 });
      const repaired = await state(root);
      expect([before, after]).toContainEqual(repaired);
      // an unfinished build is removed; a switched-to generation keeps its predecessor for `dep rollback`
      const kept = JSON.stringify(repaired) === JSON.stringify(before) ? 1 : 2;
      expect(await readdir(join(root, '.provisioning', 'generations'))).toHaveLength(kept);
      if (point === 'after-switch') {
        // the commit point passed but the lockfile was not written yet: the repair writes it
        expect(raw.files).toEqual(after.files);
        expect(raw.lock).toBe(before.lock);
        expect(repaired.lock).toBe(after.lock);
      }
      // the store shows no half-written tree: only complete, stamped trees have a final name
      for (const tree of await readdir(join(home, 'oci-cache', '.trees', 'sha256')).catch(() => [])) {
        // an unpack in flight: ours (`.tmp-…`) or the packager's staging beside it (`..tmp-….unpack-…`)
        if (tree.startsWith('.tmp-') || tree.startsWith('..tmp-')) continue;
        expect(await readdir(join(home, 'oci-cache', '.trees', 'sha256', tree))).toContain(
          '.tree-stamps.json',
        );
      }
      // and a full run then reaches "after", sweeping the dead run's temp trees
      await resolveWorkspace({ settings, coreVersion: '3.5.0' });
      expect(await state(root)).toEqual(after);
      const left = await readdir(join(home, 'oci-cache', '.trees', 'sha256'));
      expect(left.filter((name) => name.startsWith('.tmp-'))).toEqual([]);
    });
  }
});

describe('concurrent runs', () => {
  it('two runs at once do not interleave: both succeed, one after the other', async () => {
    const { root, settings } = await stagedWorkspace('concurrent');
    const [a, b] = await Promise.all([runChild(settings).exited, runChild(settings).exited]);
    expect([a.stdout, b.stdout].sort()).toEqual(['done false\n', 'done true\n']);
    expect(await state(root)).toEqual(after);
  });

  it('a run that cannot get the lock in time fails with WORKSPACE_LOCKED', async () => {
    const { root, settings } = await stagedWorkspace('locked');
    const holder = runChild(settings, { PROVISIONING_TEST_PAUSE_AT: 'after-lock' });
    await holder.paused;
    const waiter = await runChild(settings, { PROVISIONING_LOCK_TIMEOUT_MS: '300' }).exited;
    expect(waiter.stdout).toBe('error WORKSPACE_LOCKED\n');
    holder.child.kill('SIGKILL');
    await holder.exited;
    expect(await state(root)).toEqual(before);
  });
});
