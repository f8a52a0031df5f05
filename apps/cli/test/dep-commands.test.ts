/**
 * The dep commands, module load and taskserv create --check, run as a user runs them (the built CLI in
 * a child process) against a real Distribution registry holding real packed extensions.
 */
import { appendFile, chmod, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ExtensionSpec,
  KUBERNETES_GRAPH,
  makeExtension,
  publishToRegistry,
} from '@provisioning/fixtures';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackOrBox, Sandbox } from './support/run-cli.js';

const SPECS: ExtensionSpec[] = [
  ...KUBERNETES_GRAPH,
  { type: 'taskserv', name: 'etcd', version: '3.5.10' },
  { type: 'cluster', name: 'legacy', version: '1.0.0', dependencies: { etcd: '<3.0.0' } },
  { type: 'provider', name: 'aws', version: '2.0.0' },
];

const box = new Sandbox();
let registry: RunningDistribution;
let ws: string;

const workspaceYaml = (host: string, taskservs: string[], clusters: string[] = []) => `# my workspace
dependencies:
  extensions:
    source_type: "oci"
    oci:
      registry: "${host}"
      namespace: "provisioning-extensions"
      tls_enabled: false
    modules:
      taskservs:
${taskservs.map((t) => `        - "oci://${host}/provisioning-extensions/${t}"`).join('\n')}
${clusters.length > 0 ? `      clusters:\n${clusters.map((t) => `        - "oci://${host}/provisioning-extensions/${t}"`).join('\n')}\n` : ''}`;

beforeAll(async () => {
  registry = await startDistribution();
  await publishToRegistry(registry.host, 'provisioning-extensions', SPECS, join(box.root, 'publish'));
  ws = box.workspace('ws', workspaceYaml(registry.host, ['kubernetes:1.28.0']));
});

afterAll(async () => {
  await registry?.stop();
  box.cleanup();
});

const run = (args: string[], cwd = ws) => box.run(args, { cwd });

describe('provisioning dep', () => {
  it('dep resolve installs and prints the plan', async () => {
    const human = await run(['dep', 'resolve']);
    expect(human.stderr).toBe('');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/│ kubernetes +│ taskserv │ 1\.28\.0 +│ install/);
    expect(human.stdout).toContain('lockfile: ');
    const lock = await readFile(join(ws, 'config', 'provisioning.lock'), 'utf8');
    expect(lock).toContain('lockfile_version: 1');
    expect(lock).toContain(`reference: ${registry.host}/provisioning-extensions/etcd:3.5.10`);
  });

  it('dep resolve --frozen --json reports an up-to-date install', async () => {
    const result = await run(['dep', 'resolve', '--frozen', '--json']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({ installed: false, frozen: true, workspace: ws });
    expect(out.modules.map((m: { name: string }) => m.name)).toEqual([
      'etcd',
      'runc',
      'containerd',
      'kubernetes',
    ]);
  });

  it('dep tree shows the graph; NAME, --depth and --invert narrow it', async () => {
    const full = await run(['dep', 'tree']);
    expect(full.code).toBe(0);
    expect(full.stdout).toContain('your workspace');
    expect(full.stdout).toMatch(/└── kubernetes 1\.28\.0/);
    expect(full.stdout).toMatch(/├── containerd 1\.7\.0 \(>=1\.7\.0\)/);
    expect(full.stdout).toMatch(/runc 1\.1\.12 \(>=1\.1\.0\)/);
    const shallow = await run(['dep', 'tree', 'kubernetes', '--depth', '0']);
    expect(shallow.stdout.trim()).toBe('kubernetes 1.28.0 …'); // children cut off by the depth
    const inverted = await run(['dep', 'tree', 'runc', '--invert', '--json']);
    const tree = JSON.parse(inverted.stdout).tree;
    expect(tree.name).toBe('runc');
    expect(tree.children[0].name).toBe('containerd');
    expect(tree.children[0].children[0].name).toBe('kubernetes');
  });

  it('dep why lists every path to a module', async () => {
    const result = await run(['dep', 'why', 'runc']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('runc 1.1.12 is installed because:');
    expect(result.stdout).toContain(
      'your workspace → kubernetes 1.28.0 → containerd 1.7.0 (>=1.7.0) → runc 1.1.12 (>=1.1.0)',
    );
    const missing = await run(['dep', 'why', 'nginx']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nginx');
  });

  it('dep check-updates shows current, wanted and latest', async () => {
    const human = await run(['dep', 'check-updates']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/│ name +│ type +│ current │ wanted +│ latest +│/);
    expect(human.stdout).toMatch(/│ kubernetes │ taskserv │ 1\.28\.0 +│ 1\.28\.0 │ 1\.29\.0 │/);
    const json = JSON.parse((await run(['dep', 'check-updates', '--json'])).stdout);
    expect(json.modules).toEqual([
      expect.objectContaining({ name: 'kubernetes', latest: '1.29.0', direct: true }),
    ]);
  });

  it('dep validate passes, then names a modified installed file and exits 1', async () => {
    const ok = await run(['dep', 'validate']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('ok: 4 modules');
    // installed files are read-only (they share inodes with the cache's tree store): a user who
    // edits one has to make it writable first, which edits the store's copy too
    const installedFile = join(ws, '.provisioning', 'extensions', 'taskservs', 'etcd', 'defaults.yaml');
    expect((await stat(installedFile)).mode & 0o222).toBe(0);
    await chmod(installedFile, 0o644);
    await appendFile(installedFile, '\nextra: 1\n');
    const bad = await run(['dep', 'validate']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('installed: etcd: defaults.yaml was modified after install');
    expect(expectNoStackOrBox(bad.stderr)).toEqual([]);
    const json = await run(['dep', 'validate', '--json']);
    expect(json.code).toBe(1);
    const body = JSON.parse(json.stdout);
    expect(body.error.code).toBe('WORKSPACE_INVALID');
    expect(body.error.problems).toEqual([
      expect.objectContaining({ area: 'installed', module: 'etcd', path: 'defaults.yaml' }),
    ]);
    // a normal resolve repairs it (the modified module is reinstalled, the others kept)
    const repair = JSON.parse((await run(['dep', 'resolve', '--json'])).stdout);
    expect(repair.modules.find((m: { name: string }) => m.name === 'etcd').action).toBe('reinstall');
    expect((await run(['dep', 'validate'])).code).toBe(0);
    // the repair came from a fresh store tree, not from the edited one
    expect(await readFile(installedFile, 'utf8')).not.toContain('extra: 1');
  });

  it('dep update moves a root pin and rewrites the config', async () => {
    const result = await run(['dep', 'update', 'kubernetes', '--json']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({ name: 'kubernetes', from: '1.28.0', to: '1.29.0', config_updated: true });
    const config = await readFile(join(ws, 'config', 'provisioning.yaml'), 'utf8');
    expect(config).toContain('provisioning-extensions/kubernetes:1.29.0"');
    expect(config).toContain('# my workspace');
    const etcd = await run(['dep', 'update', 'etcd', '--to', '3.5.9']);
    expect(etcd.code).toBe(0);
    expect(etcd.stdout).toContain('etcd: 3.5.10 → 3.5.9');
  });

  it('an unsatisfiable workspace prints the solver explanation', async () => {
    const bad = box.workspace('unsat', workspaceYaml(registry.host, ['kubernetes:1.28.0'], ['legacy:1.0.0']));
    const result = await run(['dep', 'resolve'], bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: version solving failed:/);
    expect(result.stderr).toContain('legacy');
    expect(result.stderr).toMatch(/etcd <3\.0\.0/);
    expect(result.stderr).toContain('hint: ');
    expect(expectNoStackOrBox(result.stderr)).toEqual([]);
  });

  it('--frozen with a stale lockfile fails naming the difference', async () => {
    const stale = box.workspace('stale', workspaceYaml(registry.host, ['kubernetes:1.28.0']));
    await appendFile(
      join(stale, 'config', 'provisioning.lock'),
      await readFile(join(ws, 'config', 'provisioning.lock')),
    );
    const result = await run(['dep', 'resolve', '--frozen'], stale);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('does not match the config');
    expect(result.stderr).toContain('kubernetes: the config pins 1.28.0, the lockfile has 1.29.0');
  });
});

describe('provisioning module load and taskserv create', () => {
  it('module load adds an OCI module (pinned to what was installed), keeping comments', async () => {
    const target = box.workspace('load', workspaceYaml(registry.host, ['runc:1.1.12']));
    const result = await box.run(['module', 'load', 'taskserv', 'load', 'redis', '--json'], {
      cwd: box.root,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ name: 'redis', version: '1.0.0', source: 'oci' });
    const config = await readFile(join(target, 'config', 'provisioning.yaml'), 'utf8');
    // written like the entries around it: quoted, with oci://
    expect(config).toContain(`- "oci://${registry.host}/provisioning-extensions/redis:1.0.0"`);
    expect(config).toContain('# my workspace');
    expect(
      await readFile(
        join(target, '.provisioning', 'extensions', 'taskservs', 'redis', 'manifest.yaml'),
        'utf8',
      ),
    ).toContain('name: redis');
  });

  it('module load --source local takes the module from an extensions directory', async () => {
    const target = box.workspace(
      'workspace_dev',
      `# dev workspace\ndependencies:\n  extensions:\n    oci:\n      registry: "${registry.host}"\n`,
    );
    const extensions = join(box.root, 'monorepo', 'extensions');
    await makeExtension(extensions, { type: 'taskserv', name: 'redis', version: '1.2.0' });
    const result = await box.run(
      ['module', 'load', 'taskserv', 'workspace_dev', 'redis', '--source', 'local', '--path', extensions],
      { cwd: box.root },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('loaded taskserv redis 1.2.0 (local)');
    const config = await readFile(join(target, 'config', 'provisioning.yaml'), 'utf8');
    expect(config).toMatch(/source_type: "?local"?/);
    expect(config).toContain('path: ../monorepo/extensions'); // relative to the workspace
    const lock = await readFile(join(target, 'config', 'provisioning.lock'), 'utf8');
    expect(lock).toContain('source: local');
    expect((await box.run(['dep', 'validate'], { cwd: target })).code).toBe(0);
  });

  it('taskserv create --check renders templates with the infra settings and prints the plan', async () => {
    const target = box.workspace('infra-ws', workspaceYaml(registry.host, ['runc:1.1.12']));
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(join(target, 'infra', 'test-env'), { recursive: true });
    await writeFile(
      join(target, 'infra', 'test-env', 'settings.yaml'),
      'taskservs:\n  redis:\n    port: 6380\n',
    );
    const before = await readFile(join(target, 'config', 'provisioning.yaml'), 'utf8');
    const result = await box.run(['taskserv', 'create', 'redis', '--infra', 'test-env', '--check'], {
      cwd: target,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--- templates/redis.conf.j2');
    expect(result.stdout).toContain('port 6380');
    expect(result.stdout).toContain('bind 127.0.0.1'); // from defaults.yaml
    expect(result.stdout).toMatch(/1\. taskserv (redis|runc) /);
    expect(result.stdout).toMatch(/taskserv redis 1\.0\.0 — install/);
    // writes nothing
    expect(await readFile(join(target, 'config', 'provisioning.yaml'), 'utf8')).toBe(before);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(target)).sort()).toEqual(['config', 'infra']);

    // install.nu --check printed its steps (taskserv-scripts.test.ts runs real installs)
    expect(result.stdout).toContain('==> taskserv redis 1.0.0: scripts/install.nu');
    const missing = await box.run(['taskserv', 'create', 'redis', '--infra', 'prod', '--check'], {
      cwd: target,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(join(target, 'infra', 'prod', 'settings.yaml'));

    // a provider: the hint names commands that exist
    const provider = await box.run(['taskserv', 'create', 'aws', '--infra', 'test-env', '--check'], {
      cwd: target,
    });
    expect(provider.code, provider.stderr).toBe(1);
    expect(provider.stderr).toContain('error: aws is a provider, not a taskserv');
    expect(provider.stderr).toContain('provisioning module load provider WORKSPACE aws');
    expect(provider.stderr).toContain('provisioning provider create aws --infra ENV');
  });
});
