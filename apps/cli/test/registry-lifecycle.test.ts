/**
 * `oci-registry start|stop|status` as a user runs them: real detached processes (the built-in
 * server, CNCF Distribution), real ports, real signals. Faults: a second start, a busy port, a
 * killed server, a stale state file, a backend that dies while starting (a small script standing in
 * for a broken installation).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { freePort, requireBinary } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, StartedRegistries, waitGone } from './support/registry-processes.js';
import { CLI_ROOT, Sandbox } from './support/run-cli.js';

const REPO = resolve(CLI_ROOT, '..', '..');
const box = new Sandbox();
const other = new Sandbox();
const started = new StartedRegistries();
let port: number;

const json = (stdout: string) => JSON.parse(stdout);
const stateFile = () => join(box.home, 'oci-registry.json');

beforeAll(async () => {
  port = await freePort();
});

afterAll(async () => {
  await box.run(['oci-registry', 'stop']);
  await other.run(['oci-registry', 'stop']);
  const leaked = started.killLeftovers();
  box.cleanup();
  other.cleanup();
  expect(leaked).toEqual([]);
});

describe('oci-registry lifecycle (built-in server)', () => {
  it('status with nothing started points at the embedded storage (exit 1: nothing runs)', async () => {
    const r = await box.run(['oci-registry', 'status', '--json']);
    expect(r.code).toBe(1);
    expect(json(r.stdout)).toMatchObject({
      condition: 'stopped',
      backend: null,
      pid: null,
      storage: join(box.home, 'oci-registry'),
      shares_embedded_storage: true,
      repositories: 0,
      healthy: false,
    });
    const human = await box.run(['oci-registry', 'status']);
    expect(human.stdout).toContain('not running: commands use the embedded storage directly');
  });

  it('start serves the embedded storage on the port, detached, with state and log; skopeo reads it', async () => {
    const r = await box.run([
      'oci-registry',
      'start',
      '--backend',
      'builtin',
      '--port',
      String(port),
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    started.record(box.home);
    expect(out).toMatchObject({
      backend: 'builtin',
      endpoint: `127.0.0.1:${port}`,
      storage: join(box.home, 'oci-registry'),
      shares_embedded_storage: true,
      log: join(box.home, 'logs', 'oci-registry.log'),
      // not on 5000: the note says how commands reach it
      notes: [expect.stringContaining(`pass --registry 127.0.0.1:${port} to go through this server`)],
    });
    expect(isAlive(out.pid)).toBe(true);
    const state = json(readFileSync(stateFile(), 'utf8'));
    expect(state).toMatchObject({ backend: 'builtin', pid: out.pid, port, host: '127.0.0.1' });
    const v2 = await fetch(`http://127.0.0.1:${port}/v2/`);
    expect(v2.status).toBe(200);
    expect(readFileSync(out.log, 'utf8')).toContain(`listening on http://127.0.0.1:${port}`);

    // push through it, read it back with skopeo, and find it in the embedded layout store
    const pushed = await box.run([
      'oci',
      'push',
      join(REPO, 'extensions', 'taskservs', 'redis'),
      'redis',
      '1.0.0',
      '--registry',
      `127.0.0.1:${port}`,
      '--json',
    ]);
    expect(pushed.code, pushed.stderr).toBe(0);
    const digest = json(pushed.stdout).digest as string;
    const skopeo = spawnSync(
      requireBinary('skopeo'),
      [
        'inspect',
        '--raw',
        '--tls-verify=false',
        `docker://127.0.0.1:${port}/provisioning-extensions/redis:1.0.0`,
      ],
      { encoding: 'buffer' },
    );
    expect(skopeo.status, skopeo.stderr.toString()).toBe(0);
    expect(`sha256:${createHash('sha256').update(skopeo.stdout).digest('hex')}`).toBe(digest);
    expect(existsSync(join(box.home, 'oci-registry', 'provisioning-extensions', 'redis', 'index.json'))).toBe(
      true,
    );

    const status = json((await box.run(['oci-registry', 'status', '--json'])).stdout);
    expect(status).toMatchObject({ condition: 'running', pid: out.pid, healthy: true, repositories: 1 });
  });

  it('start while it runs fails and names the running one', async () => {
    const pid = started.record(box.home)!;
    const r = await box.run([
      'oci-registry',
      'start',
      '--backend',
      'builtin',
      '--port',
      String(port),
      '--json',
    ]);
    expect(r.code).toBe(1);
    expect(json(r.stdout).error).toMatchObject({ code: 'REGISTRY_ALREADY_RUNNING' });
    expect(r.stderr).toContain(
      `error: a local registry is already running: builtin on 127.0.0.1:${port} (pid ${pid})`,
    );
    expect(r.stderr).toContain('oci-registry stop');
  });

  it('a busy port is reported, saying whether a registry or something else holds it', async () => {
    const taken = await other.run(['oci-registry', 'start', '--backend', 'builtin', '--port', String(port)]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain(`error: 127.0.0.1:${port} is already in use by another registry`);
    expect(existsSync(join(other.home, 'oci-registry.json'))).toBe(false);

    const plain: Server = createServer((socket) => socket.destroy());
    const plainPort = await freePort();
    await new Promise<void>((done) => plain.listen(plainPort, '127.0.0.1', done));
    try {
      const r = await other.run([
        'oci-registry',
        'start',
        '--backend',
        'builtin',
        '--port',
        String(plainPort),
        '--json',
      ]);
      expect(r.code).toBe(1);
      expect(json(r.stdout).error).toMatchObject({ code: 'REGISTRY_PORT_BUSY' });
      expect(r.stderr).toContain(`127.0.0.1:${plainPort} is already in use by another process`);
      expect(r.stderr).toContain('--port');
    } finally {
      await new Promise((done) => plain.close(done));
    }
  });

  it('a killed server shows as crashed; start cleans up the stale state and starts again', async () => {
    const pid = started.record(box.home)!;
    process.kill(pid, 'SIGKILL');
    expect(await waitGone(pid)).toBe(true);

    const status = await box.run(['oci-registry', 'status', '--json']);
    expect(status.code).toBe(3);
    expect(json(status.stdout)).toMatchObject({ condition: 'crashed', pid, healthy: false, repositories: 1 });
    expect(json(status.stdout).last_log_line).toContain('listening on');
    expect((await box.run(['oci-registry', 'status'])).stdout).toContain(
      `crashed: the builtin registry (pid ${pid}) is gone`,
    );

    const again = await box.run(['oci-registry', 'start', '--backend', 'builtin', '--port', String(port)]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(
      `note: removed a stale state file: the builtin registry on 127.0.0.1:${port} (pid ${pid}) was no longer running`,
    );
    const fresh = started.record(box.home)!;
    expect(fresh).not.toBe(pid);
    expect(isAlive(fresh)).toBe(true);
  });

  it('stop terminates the process and removes the state; a second stop has nothing to do', async () => {
    const pid = started.record(box.home)!;
    const r = await box.run(['oci-registry', 'stop', '--json']);
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toEqual({
      outcome: 'stopped',
      backend: 'builtin',
      pid,
      endpoint: `127.0.0.1:${port}`,
    });
    expect(await waitGone(pid, 1000)).toBe(true);
    expect(existsSync(stateFile())).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/v2/`)).rejects.toThrow();

    const second = await box.run(['oci-registry', 'stop']);
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).toBe('no local registry is running');
    // the storage outlives the server: commands keep using it directly
    const status = json((await box.run(['oci-registry', 'status', '--json'])).stdout);
    expect(status).toMatchObject({ condition: 'stopped', repositories: 1 });
  });

  it('stop with a state file whose process is gone removes it and says so', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const deadPid = Number(gone.stdout);
    const state = {
      backend: 'builtin',
      pid: deadPid,
      host: '127.0.0.1',
      port,
      endpoint: `127.0.0.1:${port}`,
      storage: join(box.home, 'oci-registry'),
      sharesEmbeddedStorage: true,
      log: join(box.home, 'logs', 'oci-registry.log'),
      command: [process.execPath, 'main.js'],
      startedAt: new Date().toISOString(),
    };
    writeFileSync(stateFile(), JSON.stringify(state));
    const r = await box.run(['oci-registry', 'stop']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `the builtin registry on 127.0.0.1:${port} (pid ${deadPid}) was no longer running; removed its stale state file`,
    );
    expect(existsSync(stateFile())).toBe(false);
  });
});

describe('oci-registry backends', () => {
  it('distribution keeps its own storage and says so; status and stop work the same', async () => {
    requireBinary('docker-registry');
    const distPort = await freePort();
    const r = await other.run([
      'oci-registry',
      'start',
      '--backend',
      'distribution',
      '--port',
      String(distPort),
    ]);
    started.record(other.home);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`started the distribution registry on 127.0.0.1:${distPort}`);
    expect(r.stderr).toContain(
      `note: distribution keeps its own storage in ${join(other.home, 'oci-registry-distribution')}: loaded 0 tags of 0 repositories from the embedded storage`,
    );
    const status = json((await other.run(['oci-registry', 'status', '--json'])).stdout);
    expect(status).toMatchObject({
      condition: 'running',
      backend: 'distribution',
      storage: join(other.home, 'oci-registry-distribution'),
      shares_embedded_storage: false,
      healthy: true,
      repositories: 0,
    });
    const stopped = json((await other.run(['oci-registry', 'stop', '--json'])).stdout);
    expect(stopped.outcome).toBe('stopped');
    expect(await waitGone(status.pid, 1000)).toBe(true);
  });

  it('a backend that exits while starting is reported with its last log line and the log path', async () => {
    const bin = join(other.root, 'broken-bin');
    mkdirSync(bin);
    // stands in for a broken installation: prints an error and exits, as a registry with a bad config does
    writeFileSync(
      join(bin, 'docker-registry'),
      '#!/bin/sh\necho "configuration error: storage driver not available" >&2\nexit 1\n',
    );
    chmodSync(join(bin, 'docker-registry'), 0o755);
    const r = await other.run(
      ['oci-registry', 'start', '--backend', 'distribution', '--port', String(await freePort()), '--json'],
      { env: { PATH: `${bin}:/usr/bin:/bin` } },
    );
    expect(r.code).toBe(1);
    expect(json(r.stdout).error).toMatchObject({
      code: 'REGISTRY_START_FAILED',
      hint: `see ${join(other.home, 'logs', 'oci-registry.log')}`,
    });
    expect(r.stderr).toContain(
      'error: the distribution registry exited while starting: configuration error: storage driver not available',
    );
    expect(existsSync(join(other.home, 'oci-registry.json'))).toBe(false);
  });

  it('--backend zot without zot installed says how to get it', async () => {
    const empty = join(other.root, 'empty-bin');
    mkdirSync(empty, { recursive: true });
    const r = await other.run(
      ['oci-registry', 'start', '--backend', 'zot', '--port', String(await freePort())],
      {
        env: { PATH: empty },
      },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: --backend zot: zot is not on PATH');
    expect(r.stderr).toContain('--backend builtin');
  });
});
