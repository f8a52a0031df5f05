/**
 * Issue 5's acceptance checks with the real sample extensions (`extensions/*\/*`): pushed with
 * `oci push` to a real Distribution registry, then resolved, inspected and reinstalled offline
 * through the built CLI, the way a user does it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type ExtensionSpec, publishToRegistry } from '@provisioning/fixtures';
import { type RunningDistribution, requireBinary, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fileHashes } from './support/file-tree.js';
import { CLI_ROOT, expectNoStackOrBox, Sandbox } from './support/run-cli.js';

const SAMPLES = resolve(CLI_ROOT, '..', '..', 'extensions');
const NS = 'provisioning-extensions';
const DEPENDENCIES = ['containerd', 'etcd', 'runc'];
const ROOTS = ['kubernetes', 'cilium', 'redis'];

interface Pushed {
  name: string;
  version: string;
  type: string;
  reference: string;
  digest: string;
  layer_digest: string;
}

interface LockedModule {
  type: string;
  version: string;
  reference: string;
  manifest_digest: string;
  layer_digest: string;
  dependencies: Record<string, string>;
}

const skopeo = requireBinary('skopeo');
const box = new Sandbox();
let registry: RunningDistribution;
const pushed = new Map<string, Pushed>();
let ws: string;

const ref = (name: string) => `oci://${registry.host}/${NS}/${name}`;

/** A workspace config listing OCI modules by reference (`name` or `name:version`). */
const workspaceYaml = (modules: { taskservs?: string[]; clusters?: string[] }) => {
  const lines = [
    'dependencies:',
    '  extensions:',
    '    source_type: "oci"',
    '    oci:',
    `      registry: "${registry.host}"`,
    `      namespace: "${NS}"`,
    '      tls_enabled: false',
    '    modules:',
  ];
  for (const [type, names] of Object.entries(modules)) {
    lines.push(`      ${type}:`, ...names.map((n) => `        - "${ref(n)}"`));
  }
  return `${lines.join('\n')}\n`;
};

/** Every sample extension directory with the name and version its manifest declares. */
async function sampleExtensions(): Promise<{ dir: string; name: string; version: string }[]> {
  const out = [];
  for (const typeDir of await readdir(SAMPLES)) {
    for (const name of await readdir(join(SAMPLES, typeDir))) {
      const dir = join(SAMPLES, typeDir, name);
      const manifest = parse(await readFile(join(dir, 'manifest.yaml'), 'utf8'));
      out.push({ dir, name: manifest.name, version: manifest.version });
    }
  }
  return out;
}

/** Runs `jobs` with at most `limit` at a time (each `oci push` is its own Node process). */
async function inBatches<T>(items: T[], limit: number, job: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await job(item);
    }),
  );
}

beforeAll(async () => {
  registry = await startDistribution();
  const samples = await sampleExtensions();
  expect(samples).toHaveLength(12);
  await inBatches(samples, 4, async ({ dir, name, version }) => {
    const result = await box.run(['oci', 'push', dir, name, version, '--registry', registry.host, '--json']);
    if (result.code !== 0) throw new Error(`oci push ${name} failed: ${result.stderr}`);
    pushed.set(name, JSON.parse(result.stdout));
  });
  ws = box.workspace(
    'ws',
    workspaceYaml({ taskservs: ['kubernetes:1.28.0', 'cilium:1.14.0', 'redis:1.0.0'] }),
  );
});

afterAll(async () => {
  await registry?.stop();
  box.cleanup();
});

const installedDir = (workspace: string, name: string) =>
  join(workspace, '.provisioning', 'extensions', 'taskservs', name);

async function readLock(workspace: string): Promise<{ modules: Record<string, LockedModule> }> {
  return parse(await readFile(join(workspace, 'config', 'provisioning.lock'), 'utf8'));
}

/** Module names in the order of the printed plan table's rows. */
function tableOrder(stdout: string): string[] {
  return [...stdout.matchAll(/^│ ([a-z0-9_-]+) +│ taskserv │/gm)].map((m) => m[1] as string);
}

describe('issue 5 check 1: the sample extensions resolve, install and lock', () => {
  it('pushed all 12 sample extensions', () => {
    expect([...pushed.keys()].sort()).toEqual(
      [
        'aws',
        'buildkit',
        'cilium',
        'containerd',
        'etcd',
        'kubernetes',
        'local',
        'postgres',
        'redis',
        'runc',
        'upcloud',
        'web',
      ].sort(),
    );
    expect(pushed.get('kubernetes')?.reference).toBe(`${registry.host}/${NS}/kubernetes:1.28.0`);
  });

  it('dep resolve installs the roots and their dependencies, dependencies first', async () => {
    const result = await box.run(['dep', 'resolve'], { cwd: ws });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const order = tableOrder(result.stdout);
    expect([...order].sort()).toEqual([...ROOTS, ...DEPENDENCIES].sort());
    const before = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    before('runc', 'containerd');
    before('containerd', 'kubernetes');
    before('etcd', 'kubernetes');
    before('kubernetes', 'cilium');
    expect(result.stdout).toContain('installed 6 modules');

    // the JSON plan of the (now no-op) resolve keeps the same order
    const json = JSON.parse((await box.run(['dep', 'resolve', '--json'], { cwd: ws })).stdout);
    expect(json.modules.map((m: { name: string }) => m.name)).toEqual(order);
    expect(json.modules.every((m: { action: string }) => m.action === 'keep')).toBe(true);
  });

  it('the installed files are the sample extensions’ files', async () => {
    const kubeconfig = await readFile(
      join(installedDir(ws, 'kubernetes'), 'templates', 'kubeconfig.j2'),
      'utf8',
    );
    expect(kubeconfig).toBe(
      await readFile(join(SAMPLES, 'taskservs', 'kubernetes', 'templates', 'kubeconfig.j2'), 'utf8'),
    );
    for (const name of [...ROOTS, ...DEPENDENCIES]) {
      const installed = await fileHashes(installedDir(ws, name));
      expect(installed.has('oci-manifest.json')).toBe(true);
      installed.delete('oci-manifest.json');
      expect(installed, name).toEqual(await fileHashes(join(SAMPLES, 'taskservs', name)));
    }
    // nothing that was not asked for
    expect((await readdir(join(ws, '.provisioning', 'extensions', 'taskservs'))).sort()).toEqual(
      [...ROOTS, ...DEPENDENCIES].sort(),
    );
  });

  it('config/provisioning.lock holds version, reference and the digests the push printed', async () => {
    const lock = await readLock(ws);
    expect(Object.keys(lock.modules).sort()).toEqual([...ROOTS, ...DEPENDENCIES].sort());
    for (const [name, locked] of Object.entries(lock.modules)) {
      const push = pushed.get(name) as Pushed;
      expect(locked, name).toMatchObject({
        type: 'taskserv',
        version: push.version,
        reference: push.reference,
        manifest_digest: push.digest,
        layer_digest: push.layer_digest,
      });
    }
    // and what the registry serves, as skopeo reads it
    for (const [name, locked] of Object.entries(lock.modules)) {
      const { stdout } = await promisify(execFile)(
        skopeo,
        ['inspect', '--raw', '--tls-verify=false', `docker://${locked.reference}`],
        { encoding: 'buffer', env: { PATH: process.env.PATH ?? '', HOME: box.userHome } },
      );
      expect(`sha256:${createHash('sha256').update(stdout).digest('hex')}`, name).toBe(
        locked.manifest_digest,
      );
      expect(JSON.parse(stdout.toString()).layers.map((l: { digest: string }) => l.digest)).toEqual([
        locked.layer_digest,
      ]);
    }
    expect(lock.modules.kubernetes?.dependencies).toEqual({ containerd: '1.7.0', etcd: '3.5.9' });
    expect(lock.modules.containerd?.dependencies).toEqual({ runc: '1.1.12' });
    expect(lock.modules.cilium?.dependencies).toEqual({ kubernetes: '1.28.0' });
  });

  it('dep tree kubernetes shows kubernetes → containerd → runc and kubernetes → etcd', async () => {
    const result = await box.run(['dep', 'tree', 'kubernetes'], { cwd: ws });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'kubernetes 1.28.0',
        '├── containerd 1.7.0 (>=1.7.0)',
        '│   └── runc 1.1.12 (>=1.1.0)',
        '└── etcd 3.5.9 (>=3.5.0)',
        '',
      ].join('\n'),
    );
  });

  it('dep why containerd lists the direct and the transitive path', async () => {
    const result = await box.run(['dep', 'why', 'containerd'], { cwd: ws });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('containerd 1.7.0 is installed because:');
    expect(result.stdout).toContain('your workspace → kubernetes 1.28.0 → containerd 1.7.0 (>=1.7.0)');
    expect(result.stdout).toContain(
      'your workspace → cilium 1.14.0 → kubernetes 1.28.0 (>=1.27.0) → containerd 1.7.0 (>=1.7.0)',
    );
  });
});

describe('issue 5 check 2: conflicts, cycles and the core version are explained', () => {
  it('a cluster needing etcd below 3.5 next to kubernetes 1.28.0 names both constraints and who imposed them', async () => {
    await publishToRegistry(
      registry.host,
      NS,
      [
        { type: 'taskserv', name: 'etcd', version: '3.4.27' },
        { type: 'cluster', name: 'legacy-store', version: '1.0.0', dependencies: { etcd: '<3.5.0' } },
      ],
      join(box.root, 'publish-conflict'),
    );
    const dir = box.workspace(
      'conflict',
      workspaceYaml({ taskservs: ['kubernetes:1.28.0'], clusters: ['legacy-store:1.0.0'] }),
    );
    const result = await box.run(['dep', 'resolve'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: version solving failed:/);
    // both ranges, who imposed them (the two modules, and the workspace that listed those)
    expect(result.stderr).toContain('legacy-store depends on etcd <3.5.0');
    expect(result.stderr).toContain('kubernetes depends on etcd >=3.5.0');
    expect(result.stderr).toContain(
      'your workspace depends on both kubernetes 1.28.0 and legacy-store 1.0.0',
    );
    expect(result.stderr).toContain('hint: ');
    expect(expectNoStackOrBox(result.stderr)).toEqual([]);
  });

  it('cilium pinned next to a kubernetes it excludes names both', async () => {
    const specs: ExtensionSpec[] = [
      { type: 'taskserv', name: 'kubernetes', version: '1.26.0', dependencies: { etcd: '>=3.5.0' } },
    ];
    await publishToRegistry(registry.host, NS, specs, join(box.root, 'publish-k126'));
    const dir = box.workspace(
      'excluded',
      workspaceYaml({ taskservs: ['cilium:1.14.0', 'kubernetes:1.26.0'] }),
    );
    const result = await box.run(['dep', 'resolve', '--json'], { cwd: dir });
    expect(result.code).toBe(1);
    const { error } = JSON.parse(result.stdout);
    expect(error.code).toBe('RESOLUTION_FAILED');
    expect(error.message).toContain(
      'your workspace depends on cilium 1.14.0 which depends on kubernetes >=1.27.0',
    );
    expect(error.message).toContain('your workspace depends on kubernetes 1.26.0');
  });

  it('a dependency cycle is shown as its full path and nothing is installed', async () => {
    await publishToRegistry(
      registry.host,
      NS,
      [
        { type: 'taskserv', name: 'a', version: '1.0.0', dependencies: { b: '^1.0.0' } },
        { type: 'taskserv', name: 'b', version: '1.0.0', dependencies: { a: '^1.0.0' } },
      ],
      join(box.root, 'publish-cycle'),
    );
    const dir = box.workspace('cycle', workspaceYaml({ taskservs: ['a:1.0.0'] }));
    const result = await box.run(['dep', 'resolve'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: dependency cycle: a → b → a\n/);
    expect(result.stderr).toContain('hint: Extensions in a cycle cannot be installed in order');
    expect(expectNoStackOrBox(result.stderr)).toEqual([]);
    expect(await readdir(join(dir, 'config'))).toEqual(['provisioning.yaml']); // no lockfile
    expect(await readdir(join(dir, '.provisioning'))).not.toContain('extensions');
  });

  it('a redis needing a newer core is skipped in favour of 1.0.0', async () => {
    await publishToRegistry(
      registry.host,
      NS,
      [{ type: 'taskserv', name: 'redis', version: '1.1.0', minCore: '9.0.0' }],
      join(box.root, 'publish-core'),
    );
    const tags = JSON.parse(
      (await box.run(['oci', 'tags', 'redis', '--registry', registry.host, '--json'])).stdout,
    );
    expect(JSON.stringify(tags)).toContain('1.1.0'); // the newer one really is there
    const dir = box.workspace('core', workspaceYaml({ taskservs: ['redis'] }));
    const result = await box.run(['dep', 'resolve'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lock = await readLock(dir);
    expect(lock.modules.redis).toMatchObject({
      version: '1.0.0',
      manifest_digest: pushed.get('redis')?.digest,
    });
    // asking for it explicitly says why it cannot be had, and changes nothing
    const forced = await box.run(['dep', 'update', 'redis', '--to', '1.1.0'], { cwd: dir });
    expect(forced.code).toBe(1);
    expect(forced.stderr).toContain(
      'redis 1.1.0 requires provisioning >=9.0.0 and you are running provisioning 3.5.0',
    );
    expect((await readLock(dir)).modules.redis?.version).toBe('1.0.0');
  });
});

describe('issue 5 check 1 (offline): a fresh copy installs from the lockfile and the cache alone', () => {
  it('dep resolve --frozen with the registry stopped installs the same files', async () => {
    await registry.stop();
    const copy = join(box.root, 'ws-copy');
    await mkdir(copy);
    await cp(join(ws, 'config'), join(copy, 'config'), { recursive: true });
    expect(await readdir(copy)).toEqual(['config']);

    const result = await box.run(['dep', 'resolve', '--frozen'], { cwd: copy });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('installed 6 modules');
    for (const name of [...ROOTS, ...DEPENDENCIES]) {
      expect(await fileHashes(installedDir(copy, name)), name).toEqual(
        await fileHashes(installedDir(ws, name)),
      );
    }
    expect(await readFile(join(copy, 'config', 'provisioning.lock'), 'utf8')).toBe(
      await readFile(join(ws, 'config', 'provisioning.lock'), 'utf8'),
    );
    // the graph commands work offline in the copy too
    const tree = await box.run(['dep', 'tree', 'kubernetes'], { cwd: copy });
    expect(tree.code).toBe(0);
    expect(tree.stdout).toContain('│   └── runc 1.1.12 (>=1.1.0)');
  });
});
