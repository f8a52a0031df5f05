/**
 * A repeated no-op `dep resolve` is answered from the answer recorded in
 * `.provisioning/noop-answers.json` before any library loads (src/noop-replay.ts), and only while
 * nothing it depends on changed. A recorded answer is replaced here by a marker, so a run that
 * printed the marker was answered by the replay and one that did not went the usual way.
 */
import { appendFileSync, chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KUBERNETES_GRAPH, publishToRegistry } from '@provisioning/fixtures';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './support/run-cli.js';
import { ociWorkspaceYaml } from './support/workspace-yaml.js';

const box = new Sandbox();
let registry: RunningDistribution;
let ws: string;
const MARKER = 'REPLAYED\n';

beforeAll(async () => {
  registry = await startDistribution();
  await publishToRegistry(
    registry.host,
    'provisioning-extensions',
    KUBERNETES_GRAPH,
    join(box.root, 'publish'),
  );
  ws = box.workspace('ws', ociWorkspaceYaml(registry.host, 'provisioning-extensions', ['kubernetes:1.28.0']));
  const install = await run(['dep', 'resolve']);
  expect(install.code).toBe(0);
  // an answer is recorded only when its inputs changed (100 ms) before the run started
  await sleep(200);
});

afterAll(async () => {
  await registry?.stop();
  box.cleanup();
});

const run = (args: string[], env: Record<string, string> = {}) => box.run(args, { cwd: ws, env });
const answersFile = () => join(ws, '.provisioning', 'noop-answers.json');

/** Replaces every recorded answer's output by the marker. */
function markAnswers(): void {
  const file = JSON.parse(readFileSync(answersFile(), 'utf8'));
  for (const entry of file.entries) entry.answer.stdout = MARKER;
  writeFileSync(answersFile(), JSON.stringify(file));
}

describe('the no-op answer of dep resolve', () => {
  it('is recorded by a no-op run and replayed, byte for byte, by the same run again', async () => {
    const first = await run(['dep', 'resolve', '--frozen']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('everything is up to date');
    expect(existsSync(answersFile())).toBe(true);
    const second = await run(['dep', 'resolve', '--frozen']);
    expect(second).toEqual(first);
    markAnswers();
    expect((await run(['dep', 'resolve', '--frozen'])).stdout).toBe(MARKER);
  });

  it('is kept per command line and environment: --json, a plain run and another variable each have their own', async () => {
    markAnswers();
    const json = await run(['dep', 'resolve', '--frozen', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ installed: false, frozen: true });
    expect((await run(['dep', 'resolve', '--frozen', '--json'])).stdout).toBe(json.stdout);
    const plain = await run(['dep', 'resolve']);
    expect(plain.stdout).toContain('everything is up to date');
    const other = await run(['dep', 'resolve', '--frozen'], { SOME_VARIABLE: '1' });
    expect(other.stdout).toContain('everything is up to date');
    expect((await run(['dep', 'resolve', '--frozen'])).stdout).toBe(MARKER);
  });

  it('is not replayed once the config changes, not even by a comment', async () => {
    markAnswers();
    const config = join(ws, 'config', 'provisioning.yaml');
    appendFileSync(config, '# a comment\n');
    const after = await run(['dep', 'resolve', '--frozen']);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('everything is up to date');
  });

  it('is not replayed once an installed file changes: the usual run repairs it', async () => {
    await sleep(200);
    await run(['dep', 'resolve', '--frozen']);
    markAnswers();
    expect((await run(['dep', 'resolve', '--frozen'])).stdout).toBe(MARKER);
    const installed = join(ws, '.provisioning', 'extensions', 'taskservs', 'kubernetes', 'manifest.yaml');
    chmodSync(installed, 0o644);
    appendFileSync(installed, '# edited\n');
    const repaired = await run(['dep', 'resolve', '--frozen']);
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).not.toBe(MARKER);
    expect(readFileSync(installed, 'utf8')).not.toContain('# edited');
  });

  it('is never used for --help or --debug', async () => {
    await sleep(200);
    await run(['dep', 'resolve', '--frozen']);
    markAnswers();
    expect((await run(['dep', 'resolve', '--frozen', '--help'])).stdout).toContain('USAGE');
    const debug = await run(['dep', 'resolve', '--frozen', '--debug']);
    expect(debug.code).toBe(0);
    expect(debug.stdout).toContain('everything is up to date');
  });
});

describe('the light path of a no-op dep resolve', () => {
  it('loads neither the registry client (undici) nor the packager (nunjucks)', async () => {
    // a module hook that writes down every module the run loads
    const hooks = join(box.root, 'log-loads.mjs');
    writeFileSync(
      hooks,
      "import { appendFileSync } from 'node:fs';\n" +
        'export async function load(url, context, next) {\n' +
        "  appendFileSync(process.env.LOAD_LOG, url + '\\n');\n" +
        '  return next(url, context);\n' +
        '}\n',
    );
    const register = join(box.root, 'register-hooks.mjs');
    writeFileSync(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}`)});\n`,
    );
    const log = join(box.root, 'loads.txt');
    // a variable of its own: no recorded answer matches, so the light path runs
    const result = await box.run(['dep', 'resolve', '--frozen'], {
      cwd: ws,
      env: { LOAD_LOG: log },
      nodeOptions: ['--import', register],
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('everything is up to date');
    const chunks = readFileSync(log, 'utf8')
      .split('\n')
      .filter((url) => url.includes('/dist/'));
    expect(chunks.some((url) => url.endsWith('/dist/main.js'))).toBe(true);
    const heavy = chunks.filter((url) => {
      const code = readFileSync(new URL(url), 'utf8');
      return code.includes('llhttp') || code.includes('nunjucks');
    });
    expect(heavy).toEqual([]);
  });
});
