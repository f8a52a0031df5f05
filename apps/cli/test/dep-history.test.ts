/**
 * `dep history` and `dep rollback` (docs/workspaces.md, "Install history and rollback"), run as a user
 * runs them against a real Distribution registry: resolve → update → history → rollback → --frozen,
 * a rollback with the registry stopped, and bad input that changes no file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBERNETES_GRAPH, publishToRegistry } from '../../../packages/workspace/test/support/extensions.js';
import { expectRefusal, Sandbox } from './support/run-cli.js';

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
    const again = await run(['dep', 'rollback', '1']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('generation 1 is already installed');
  });
});
