/**
 * `dep history` and `dep rollback` (docs/workspaces.md, "Install history and rollback"), run as a user
 * runs them against a real Distribution registry: resolve → update → history → rollback → --frozen,
 * a rollback with the registry stopped, and bad input that changes no file.
 */
import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { KUBERNETES_GRAPH, publishToRegistry } from '@provisioning/fixtures';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefusal, jsonOk, Sandbox } from './support/run-cli.js';

const box = new Sandbox();
let registry: RunningDistribution;
let ws: string;
let firstFiles: { config: string; lock: string };

const workspaceYaml = (host: string) => `# my workspace
dependencies:
  extensions:
    source_type: "oci"
    oci:
      registry: "${host}"
      namespace: "provisioning-extensions"
      tls_enabled: false
    modules:
      taskservs:
        # the cluster's Kubernetes
        - "oci://${host}/provisioning-extensions/kubernetes:1.28.0"
`;

beforeAll(async () => {
  registry = await startDistribution();
  await publishToRegistry(
    registry.host,
    'provisioning-extensions',
    [...KUBERNETES_GRAPH],
    join(box.root, 'publish'),
  );
  ws = box.workspace('ws', workspaceYaml(registry.host));
});

afterAll(async () => {
  await registry?.stop();
  box.cleanup();
});

const run = (args: string[]) => box.run(args, { cwd: ws });
const files = () => ({
  config: readFileSync(join(ws, 'config', 'provisioning.yaml'), 'utf8'),
  lock: readFileSync(join(ws, 'config', 'provisioning.lock'), 'utf8'),
});

describe('dep history and dep rollback', () => {
  it('records one generation per changing install; dep history lists them', async () => {
    expect((await run(['dep', 'resolve'])).code).toBe(0);
    const first = files();
    // nothing changes: no new generation
    expect((await run(['dep', 'resolve'])).code).toBe(0);
    expect((await run(['dep', 'update', 'kubernetes'])).code).toBe(0);
    const second = files();
    expect(second.config).toContain('kubernetes:1.29.0"');

    const history = await run(['dep', 'history', '--json']);
    expect(history.code).toBe(0);
    const generations = JSON.parse(history.stdout).generations;
    expect(
      generations.map((g: { generation: number; current: boolean }) => [g.generation, g.current]),
    ).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(generations[1].command).toBe('dep update kubernetes');
    expect(generations[1].changes.join(' ')).toContain('1.28.0');
    const human = await run(['dep', 'history']);
    expect(human.stdout).toMatch(/\* +2 +\S+ +dep update kubernetes/);
    firstFiles = first;
  });

  it('an unknown generation is one clear error line with GENERATION_UNKNOWN and changes no file', async () => {
    const before = files();
    expectRefusal(await run(['dep', 'rollback', '99', '--json']), 'GENERATION_UNKNOWN');
    const human = await run(['dep', 'rollback', '99']);
    expect(human.code).toBe(1);
    expect(human.stderr.split('\n')[0]).toMatch(/^error: .*99/);
    expect(files()).toEqual(before);
  });

  it('a workspace with nothing installed has no rollback: ROLLBACK_UNAVAILABLE', async () => {
    const fresh = box.workspace('fresh', workspaceYaml(registry.host));
    expectRefusal(await box.run(['dep', 'rollback', '--json'], { cwd: fresh }), 'ROLLBACK_UNAVAILABLE');
    const history = await box.run(['dep', 'history'], { cwd: fresh });
    expect(history.code).toBe(0);
    expect(history.stdout).toContain('no install generations');
  });

  it('workspace init → dep resolve → module load → dep update → dep history → dep rollback → --frozen', async () => {
    const init = await box.run(['workspace', 'init', 'loaded', '--registry', registry.host], {
      cwd: box.root,
    });
    expect(init.code, init.stderr).toBe(0);
    const loaded = join(box.root, 'loaded');
    const runIn = (args: string[]) => box.run(args, { cwd: loaded });
    expect((await runIn(['dep', 'resolve'])).code).toBe(0);
    // module load without a version pins the one it installed, and the history records that pin
    expect((await runIn(['module', 'load', 'taskserv', '.', 'kubernetes'])).code).toBe(0);
    const config = () => readFileSync(join(loaded, 'config', 'provisioning.yaml'), 'utf8');
    expect(config()).toContain('kubernetes:1.29.0');
    const lockAfterLoad = readFileSync(join(loaded, 'config', 'provisioning.lock'), 'utf8');
    expect((await runIn(['dep', 'update', 'kubernetes', '--to', '1.28.0'])).code).toBe(0);
    expect(config()).toContain('kubernetes:1.28.0');
    const history = JSON.parse((await runIn(['dep', 'history', '--json'])).stdout);
    expect(history.generations.map((g: { command: string }) => g.command)).toEqual([
      'dep resolve',
      'module load taskserv kubernetes',
      'dep update kubernetes --to 1.28.0',
    ]);
    expect((await runIn(['dep', 'rollback'])).code).toBe(0);
    expect(config()).toContain('kubernetes:1.29.0');
    expect(readFileSync(join(loaded, 'config', 'provisioning.lock'), 'utf8')).toBe(lockAfterLoad);
    const frozen = jsonOk(await runIn(['dep', 'resolve', '--frozen', '--json']));
    expect(frozen).toMatchObject({ installed: false, frozen: true });
  });

  it('--keep prunes old generations but never the current one or the rollback target', async () => {
    const pruned = box.workspace('pruned', workspaceYaml(registry.host));
    const runIn = (args: string[]) => box.run(args, { cwd: pruned });
    expect((await runIn(['dep', 'resolve'])).code).toBe(0);
    for (const to of ['1.29.0', '1.28.0', '1.29.0']) {
      expect((await runIn(['dep', 'update', 'kubernetes', '--to', to])).code).toBe(0);
    }
    const numbers = async () =>
      JSON.parse((await runIn(['dep', 'history', '--json'])).stdout).generations.map(
        (g: { generation: number }) => g.generation,
      );
    expect(await numbers()).toEqual([1, 2, 3, 4]);
    expect((await runIn(['dep', 'update', 'kubernetes', '--to', '1.28.0', '--keep', '1'])).code).toBe(0);
    // keep 1 still keeps the predecessor: `dep rollback` has somewhere to go
    expect(await numbers()).toEqual([4, 5]);
    expect((await runIn(['dep', 'rollback', '--keep', '1'])).code).toBe(0);
    expect(await numbers()).toEqual([4, 5]);
  });

  it('rolling back past a core-version change says so', async () => {
    const cored = box.workspace('cored', workspaceYaml(registry.host));
    const runIn = (args: string[]) => box.run(args, { cwd: cored });
    expect((await runIn(['dep', 'resolve'])).code).toBe(0);
    expect((await runIn(['dep', 'update', 'kubernetes', '--to', '1.29.0'])).code).toBe(0);
    // generation 1 as an older core would have written it
    const generations = join(cored, '.provisioning', 'generations');
    const first = readdirSync(generations)
      .map((id) => join(generations, id))
      .find((dir) => readFileSync(join(dir, '.generation.json'), 'utf8').includes('"number": 1'))!;
    const lock = join(first, '.provisioning.lock');
    writeFileSync(lock, readFileSync(lock, 'utf8').replace(/version: 3\.\d+\.\d+/, 'version: 3.4.0'));
    const back = await runIn(['dep', 'rollback']);
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(/note: generation 1 was installed by core 3\.4\.0; generation 2 by core \d/);
  });

  it('dep rollback --offline extracts a damaged module from the cache only: CACHE_MISS without it, nothing changed', async () => {
    // a home of its own: the cache is emptied here, and the test below needs the shared one full
    const home = join(box.root, 'offline-home');
    mkdirSync(home);
    const dir = box.workspace('offline', workspaceYaml(registry.host));
    const runIn = (args: string[]) => box.run(args, { cwd: dir, env: { PROVISIONING_HOME: home } });
    expect((await runIn(['dep', 'resolve'])).code).toBe(0);
    expect((await runIn(['dep', 'update', 'kubernetes'])).code).toBe(0);
    const generations = join(dir, '.provisioning', 'generations');
    const first = readdirSync(generations)
      .map((id) => join(generations, id))
      .find((gen) => readFileSync(join(gen, '.generation.json'), 'utf8').includes('"number": 1'))!;
    const manifest = join(first, 'taskservs', 'kubernetes', 'manifest.yaml');
    chmodSync(manifest, 0o644);
    appendFileSync(manifest, '# damaged\n');
    rmSync(join(home, 'oci-cache'), { recursive: true, force: true });
    const state = () => ({
      config: readFileSync(join(dir, 'config', 'provisioning.yaml'), 'utf8'),
      lock: readFileSync(join(dir, 'config', 'provisioning.lock'), 'utf8'),
      current: readlinkSync(join(dir, '.provisioning', 'extensions')),
    });
    const before = state();
    expect(expectRefusal(await runIn(['dep', 'rollback', '--offline', '--json']), 'CACHE_MISS')).toMatch(
      /kubernetes/,
    );
    expect(state()).toEqual(before);
    // online, the same rollback downloads the layer again
    const online = await runIn(['dep', 'rollback']);
    expect(online.code, online.stderr).toBe(0);
    expect(online.stdout).toContain('re-extracted (were damaged): kubernetes');
    expect(state().config).toContain('kubernetes:1.28.0');
  });

  it('rolls back with the registry stopped (the cache holds every layer), and --frozen agrees', async () => {
    const first = firstFiles;
    // the cache holds every layer: rollback needs no registry
    await registry.stop();
    const back = await run(['dep', 'rollback']);
    expect(back.stderr).toBe('');
    expect(back.code).toBe(0);
    expect(back.stdout).toContain(`rolled back ${ws} from generation 2 to 1`);
    const restored = files();
    expect(restored.lock).toBe(first.lock);
    expect(restored.config).toBe(first.config); // pins restored, comments kept
    const frozen = await run(['dep', 'resolve', '--frozen', '--offline', '--json']);
    expect(frozen.code).toBe(0);
    expect(JSON.parse(frozen.stdout)).toMatchObject({ installed: false, frozen: true });
    // a lockfile that answers the config needs no registry, as Cargo.lock needs no crates.io
    const plain = await run(['dep', 'resolve']);
    expect(plain.stderr).toBe('');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('everything is up to date');
    // and the scripts of the locked modules run from the cache too
    mkdirSync(join(ws, 'infra', 'dev'), { recursive: true });
    writeFileSync(join(ws, 'infra', 'dev', 'settings.yaml'), 'taskservs: {}\n');
    const check = await run(['taskserv', 'create', 'kubernetes', '--infra', 'dev', '--check']);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('nothing was changed');
    const again = await run(['dep', 'rollback', '1']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('generation 1 is already installed');
  });
});
