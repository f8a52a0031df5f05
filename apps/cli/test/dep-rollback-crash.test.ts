/**
 * Crash safety of `dep rollback` (docs/workspaces.md, "Install history and rollback"): the built CLI
 * is SIGKILLed at each step of a rollback (the test hook pauses it there); the next command finishes
 * or forgets it, so installed tree, lockfile and config are all as before or all as after.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { installedSnapshot, KUBERNETES_GRAPH, publishToRegistry } from '@provisioning/fixtures';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, Sandbox } from './support/run-cli.js';

const box = new Sandbox();
let registry: RunningDistribution;
let pristine: string;
const children = new Set<ChildProcess>();

interface State {
  files: string[];
  lock: string;
  config: string;
}
let before: State;
let after: State;

async function state(root: string): Promise<State> {
  return {
    files: await installedSnapshot(root),
    lock: await readFile(join(root, 'config', 'provisioning.lock'), 'utf8'),
    config: await readFile(join(root, 'config', 'provisioning.yaml'), 'utf8'),
  };
}

async function copyOf(name: string): Promise<string> {
  const root = join(box.root, name);
  await rm(root, { recursive: true, force: true });
  await cp(pristine, root, { recursive: true, verbatimSymlinks: true });
  return root;
}

/** `dep rollback` paused at `point`, then killed. */
async function killedRollback(cwd: string, point: string): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, [BIN, 'dep', 'rollback'], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: box.userHome,
      PROVISIONING_HOME: box.home,
      PROVISIONING_TEST_PAUSE_AT: point,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      if (stderr.includes(`paused at ${point}`)) resolve();
    });
    child.on('exit', () => reject(new Error(`dep rollback exited before ${point}: ${stderr}`)));
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, s) => resolve(s)));
  child.kill('SIGKILL');
  const signal = await exited;
  children.delete(child);
  return signal;
}

beforeAll(async () => {
  registry = await startDistribution();
  await publishToRegistry(
    registry.host,
    'provisioning-extensions',
    [...KUBERNETES_GRAPH],
    join(box.root, 'publish'),
  );
  pristine = box.workspace(
    'pristine',
    `# my workspace
dependencies:
  extensions:
    source_type: "oci"
    oci:
      registry: "${registry.host}"
      namespace: "provisioning-extensions"
      tls_enabled: false
    modules:
      taskservs:
        - "oci://${registry.host}/provisioning-extensions/kubernetes:1.28.0" # pinned
`,
  );
  expect((await box.run(['dep', 'resolve'], { cwd: pristine })).code).toBe(0);
  expect((await box.run(['dep', 'update', 'kubernetes'], { cwd: pristine })).code).toBe(0);
  before = await state(pristine);
  const reference = await copyOf('reference');
  const done = await box.run(['dep', 'rollback'], { cwd: reference });
  expect(done.stderr).toBe('');
  after = await state(reference);
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await registry?.stop();
  box.cleanup();
});

describe('killing dep rollback', () => {
  it('the reference states differ in tree, lockfile and config', () => {
    expect(before.lock).toContain('version: 1.29.0');
    expect(after.lock).toContain('version: 1.28.0');
    expect(after.config).toContain('kubernetes:1.28.0" # pinned');
    expect(before.config).toContain('kubernetes:1.29.0" # pinned');
    expect(before.files).not.toEqual(after.files);
  });

  for (const point of [
    'rollback-before-switch',
    'rollback-after-switch',
    'rollback-after-lockfile',
    'rollback-after-config',
  ]) {
    it(`SIGKILL at ${point}: the next command leaves all as before or all as after`, async () => {
      const root = await copyOf(`kill-${point}`);
      expect(await killedRollback(root, point)).toBe('SIGKILL');
      expect([before.files, after.files]).toContainEqual((await state(root)).files);

      // the next command under the workspace lock finishes (or forgets) the rollback first
      const frozen = await box.run(['dep', 'resolve', '--frozen', '--offline'], { cwd: root });
      expect(frozen.stderr).toBe('');
      expect(frozen.code).toBe(0);
      const repaired = await state(root);
      expect([before, after]).toContainEqual(repaired);
      if (point !== 'rollback-before-switch') expect(repaired).toEqual(after);

      // and the rollback can be (re)done to reach "after"
      expect((await box.run(['dep', 'rollback', '1'], { cwd: root })).code).toBe(0);
      expect(await state(root)).toEqual(after);
    });
  }
});
