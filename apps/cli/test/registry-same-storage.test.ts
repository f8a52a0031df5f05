/**
 * The storage a user sees stays the same whether or not `oci-registry start` runs (docs/registry.md):
 * `start` serves what `pnpm demo` published, Distribution (on request) is loaded from it, a
 * recorded registry that died makes commands fail instead of writing elsewhere, and every command
 * on the embedded storage names its path. Real processes: the built-in server, CNCF Distribution,
 * the demo script; a fresh PROVISIONING_HOME per test, free ports (never :5000).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort, requireBinary } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StartedRegistries, waitGone } from './support/registry-processes.js';
import { CLI_ROOT, expectNoStackOrBox, Sandbox } from './support/run-cli.js';

const REPO = resolve(CLI_ROOT, '..', '..');
const started = new StartedRegistries();
const boxes: Sandbox[] = [];
const json = (stdout: string) => JSON.parse(stdout);

function sandbox(): Sandbox {
  const box = new Sandbox();
  boxes.push(box);
  return box;
}

beforeAll(async () => {
  // the embedded default is about localhost:5000: a registry there would change what is tested
  try {
    const res = await fetch('http://localhost:5000/v2/', { signal: AbortSignal.timeout(1500) });
    await res.arrayBuffer();
    if (res.status === 200 || res.status === 401) {
      throw new Error(
        'a registry answers on localhost:5000: stop it to run this test (it tests the embedded default)',
      );
    }
  } catch (error) {
    if ((error as Error).message.includes('localhost:5000')) throw error;
  }
});

afterAll(async () => {
  for (const box of boxes) await box.run(['oci-registry', 'stop']);
  const leaked = started.killLeftovers();
  for (const box of boxes) box.cleanup();
  expect(leaked).toEqual([]);
});

function demo(box: Sandbox, ws: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(REPO, 'scripts', 'demo.mjs'), '--workspace', ws],
      {
        cwd: REPO,
        env: { PATH: process.env.PATH ?? '', HOME: box.userHome, PROVISIONING_HOME: box.home },
        timeout: 120_000,
      },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
    );
  });
}

/** A copy of examples/workspace, its `localhost:5000` references pointed at `registry`. */
function exampleWorkspace(box: Sandbox, name: string, registry = 'localhost:5000'): string {
  const ws = join(box.root, name);
  cpSync(join(REPO, 'examples', 'workspace'), ws, {
    recursive: true,
    filter: (src) => !src.includes('.provisioning') && !src.endsWith('provisioning.lock'),
  });
  const file = join(ws, 'config', 'provisioning.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replaceAll('localhost:5000', registry));
  return ws;
}

const extensionCount = () =>
  ['providers', 'taskservs', 'clusters'].flatMap((type) => readdirSync(join(REPO, 'extensions', type)))
    .length;

async function start(box: Sandbox, port: number, backend?: 'builtin' | 'distribution') {
  const r = await box.run([
    'oci-registry',
    'start',
    '--port',
    String(port),
    ...(backend ? ['--backend', backend] : []),
  ]);
  started.record(box.home);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

describe('oci-registry start serves what is already published', () => {
  it('pnpm demo, then start (docker-registry on PATH or not): list and dep resolve see all of it', async () => {
    const box = sandbox();
    const published = await demo(box, exampleWorkspace(box, 'demo-ws'));
    expect(published.code, published.stderr).toBe(0);

    const port = await freePort();
    const r = await start(box, port);
    // the automatic choice serves the embedded storage itself; it says which, where and on what
    const storage = join(box.home, 'oci-registry');
    expect(r.stdout).toMatch(
      new RegExp(`^started the (builtin|zot) registry on 127\\.0\\.0\\.1:${port} \\(pid \\d+\\)`),
    );
    expect(r.stdout).toContain(`storage:  ${storage} (the embedded storage)`);
    const status = await box.run(['oci-registry', 'status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(json(status.stdout)).toMatchObject({
      condition: 'running',
      storage,
      shares_embedded_storage: true,
    });

    const listed = await box.run(['oci', 'list', '--registry', `127.0.0.1:${port}`, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(json(listed.stdout).extensions).toHaveLength(extensionCount());
    expect(extensionCount()).toBe(12);

    const ws = exampleWorkspace(box, 'served-ws', `127.0.0.1:${port}`);
    const resolved = await box.run(['dep', 'resolve', '--workspace', ws, '--json']);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(json(resolved.stdout).installed).toBe(true);
    expect(json(resolved.stdout).modules).toContainEqual(
      expect.objectContaining({
        name: 'kubernetes',
        reference: `127.0.0.1:${port}/provisioning-extensions/kubernetes:1.28.0`,
      }),
    );
    // locked as fetched over HTTP from the started registry, not read from the layout directly
    const lock = readFileSync(join(ws, 'config', 'provisioning.lock'), 'utf8');
    expect(lock).toContain(`127.0.0.1:${port}/provisioning-extensions/kubernetes:1.28.0`);
    expect(lock).not.toContain('oci-layout');

    const pid = started.record(box.home)!;
    const stopped = await box.run(['oci-registry', 'stop', '--json']);
    expect(json(stopped.stdout).outcome).toBe('stopped');
    expect(await waitGone(pid, 1000)).toBe(true);
  });

  it('--backend distribution is loaded from the embedded storage first, and says so', async () => {
    requireBinary('docker-registry');
    const box = sandbox();
    const pushed = await box.run([
      'oci',
      'push',
      join(REPO, 'extensions', 'taskservs', 'redis'),
      'redis',
      '1.0.0',
      '--json',
    ]);
    expect(pushed.code, pushed.stderr).toBe(0);
    const port = await freePort();
    const r = await start(box, port, 'distribution');
    expect(r.stderr).toContain(
      `note: distribution keeps its own storage in ${join(box.home, 'oci-registry-distribution')}: loaded 1 tags of 1 repositories from the embedded storage ${join(box.home, 'oci-registry')}`,
    );
    const tags = await box.run([
      'oci',
      'inspect',
      'redis:1.0.0',
      '--registry',
      `127.0.0.1:${port}`,
      '--json',
    ]);
    expect(tags.code, tags.stderr).toBe(0);
    expect(json(tags.stdout).digest).toBe(json(pushed.stdout).digest);
    expect((await box.run(['oci-registry', 'stop'])).code).toBe(0);
  });
});

describe('a recorded registry that died is not replaced by the embedded storage', () => {
  it('push after kill -9 fails with one line saying so; status exits 3; stop goes back to the embedded storage', async () => {
    const box = sandbox();
    const port = await freePort();
    await start(box, port, 'builtin');
    const registry = `127.0.0.1:${port}`;
    const redis = join(REPO, 'extensions', 'taskservs', 'redis');
    const first = await box.run(['oci', 'push', redis, 'redis', '1.0.0', '--registry', registry]);
    expect(first.code, first.stderr).toBe(0);
    const index = join(box.home, 'oci-registry', 'provisioning-extensions', 'redis', 'index.json');
    const before = readFileSync(index, 'utf8');

    const pid = started.record(box.home)!;
    process.kill(pid, 'SIGKILL');
    expect(await waitGone(pid)).toBe(true);

    for (const args of [
      ['oci', 'push', redis, 'redis', '1.0.0', '--registry', registry],
      ['oci', 'list', '--registry', registry],
      ['oci', 'tags', 'redis', '--registry', registry],
    ]) {
      const r = await box.run(args);
      expect(r.code, `${args.join(' ')}: ${r.stdout}`).toBe(3);
      expect(r.stdout).not.toContain('pushed');
      expect(expectNoStackOrBox(r.stderr)).toEqual([]);
      expect(r.stderr.trimEnd().split('\n')).toEqual([
        `error: the builtin registry that \`oci-registry start\` recorded on ${registry} (pid ${pid}) no longer answers`,
        '  hint: run `provisioning oci-registry start` to start it again, or `provisioning oci-registry stop` to go back to the embedded storage',
      ]);
    }
    expect(readFileSync(index, 'utf8')).toBe(before);
    const asJson = await box.run(['oci', 'push', redis, 'redis', '1.0.0', '--registry', registry, '--json']);
    expect(json(asJson.stdout).error).toMatchObject({
      code: 'REGISTRY_NOT_RUNNING',
      endpoint: registry,
      pid,
    });

    const status = await box.run(['oci-registry', 'status', '--json']);
    expect(status.code).toBe(3);
    expect(json(status.stdout)).toMatchObject({ condition: 'crashed', pid });

    const stop = await box.run(['oci-registry', 'stop', '--json']);
    expect(stop.code).toBe(0);
    expect(json(stop.stdout).outcome).toBe('stale');
    const stopped = await box.run(['oci-registry', 'status', '--json']);
    expect(stopped.code).toBe(1);
    expect(json(stopped.stdout).condition).toBe('stopped');
    // back on the embedded storage, and the output says where it went
    const embedded = await box.run(['oci', 'push', redis, 'redis', '1.0.0']);
    expect(embedded.code, embedded.stderr).toBe(0);
    expect(embedded.stdout).toContain(`  storage ${join(box.home, 'oci-registry')}  (the embedded storage`);
  });

  it('oci-registry start with the dead record starts it again and commands work', async () => {
    const box = sandbox();
    const port = await freePort();
    await start(box, port, 'builtin');
    const pid = started.record(box.home)!;
    process.kill(pid, 'SIGKILL');
    expect(await waitGone(pid)).toBe(true);
    await start(box, port, 'builtin');
    const r = await box.run(['oci', 'list', '--registry', `127.0.0.1:${port}`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((await box.run(['oci-registry', 'status'])).code).toBe(0);
  });
});

describe('on the embedded storage, output names it', () => {
  it('push, publish, tags, list, inspect, search, pull, dep resolve, copy and delete print the storage path', async () => {
    const box = sandbox();
    const line = `  storage ${join(box.home, 'oci-registry')}  (the embedded storage: no registry is running)`;
    const expectLine = async (args: string[]) => {
      const r = await box.run(args, { cwd: REPO });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout.split('\n'), args.join(' ')).toContain(line);
      return r;
    };
    await expectLine(['oci', 'push', join(REPO, 'extensions', 'taskservs', 'redis'), 'redis', '1.0.0']);
    for (const name of ['runc', 'containerd', 'etcd', 'kubernetes'])
      await expectLine(['oci', 'publish', name]);
    await expectLine(['oci', 'tags', 'redis']);
    await expectLine(['oci', 'list']);
    await expectLine(['oci', 'inspect', 'redis:1.0.0']);
    await expectLine(['oci', 'search', 'redis']);
    await expectLine(['oci', 'pull', 'redis:1.0.0', '-o', join(box.root, 'pulled')]);
    const ws = box.workspace(
      'ws',
      `dependencies:
  extensions:
    modules:
      taskservs:
        - "oci://localhost:5000/provisioning-extensions/kubernetes:1.28.0"
`,
    );
    await expectLine(['dep', 'resolve', '--workspace', ws]);
    // not on the configured registry: no storage line
    const elsewhere = await box.run([
      'oci',
      'copy',
      `oci-layout:${join(box.home, 'oci-registry', 'provisioning-extensions', 'redis')}:1.0.0`,
      `oci-layout:${join(box.root, 'airgap')}`,
    ]);
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
    expect(elsewhere.stdout).not.toContain('  storage ');
    expect(existsSync(join(box.root, 'airgap', 'index.json'))).toBe(true);
    await expectLine(['oci', 'copy', 'redis:1.0.0', 'redis:latest']);
    await expectLine(['oci', 'delete', 'redis:latest', '--yes']);
  });

  it('oci login says no registry is configured and what login is for', async () => {
    const box = sandbox();
    const r = await box.run(['oci', 'login', 'localhost:5000', '-u', 'me', '--password-stdin']);
    expect(r.code).toBe(1);
    expect(expectNoStackOrBox(r.stderr)).toEqual([]);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `error: login to localhost:5000: no registry is configured: commands use the embedded storage ${join(box.home, 'oci-registry')}, which needs no login`,
      '  hint: `oci login HOST` stores credentials for a registry that asks for them (e.g. Harbor); configure one in dependencies.registry.oci.endpoint or pass --registry',
    ]);
    expect(r.stderr).not.toContain('running');
    expect(existsSync(join(box.home, 'docker', 'config.json'))).toBe(false);
  });
});
