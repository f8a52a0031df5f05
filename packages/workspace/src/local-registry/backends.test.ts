import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinServerEntry, chooseBackend, distributionStorage, planLaunch } from './backends.js';
import { findExecutable } from './find-executable.js';

let root: string;
let withZot: string;
let withRegistry: string;
let empty: string;

async function executable(dir: string, name: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, name), '#!/bin/sh\nexit 0\n');
  await chmod(join(dir, name), 0o755);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'backends-'));
  withZot = join(root, 'zot-bin');
  withRegistry = join(root, 'registry-bin');
  empty = join(root, 'empty-bin');
  await executable(withZot, 'zot');
  await executable(withZot, 'docker-registry');
  await executable(withRegistry, 'registry');
  await mkdir(empty);
  await writeFile(join(empty, 'zot'), 'not executable');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('chooseBackend', () => {
  it('picks only backends serving the embedded storage: zot, else the built-in server (distribution on request)', () => {
    expect(chooseBackend(undefined, withZot)).toEqual({ backend: 'zot', executable: join(withZot, 'zot') });
    // docker-registry / registry on PATH is not chosen by itself: it would hide the embedded storage
    expect(chooseBackend(undefined, withRegistry)).toEqual({
      backend: 'builtin',
      executable: process.execPath,
    });
    expect(chooseBackend('distribution', withRegistry)).toEqual({
      backend: 'distribution',
      executable: join(withRegistry, 'registry'),
    });
    expect(chooseBackend(undefined, empty)).toEqual({ backend: 'builtin', executable: process.execPath });
    expect(chooseBackend('builtin', withZot).backend).toBe('builtin');
    expect(chooseBackend('distribution', withZot).executable).toBe(join(withZot, 'docker-registry'));
  });

  it('refuses a requested backend that is not installed, with what to do', () => {
    expect(() => chooseBackend('zot', empty)).toThrow(
      expect.objectContaining({
        code: 'REGISTRY_BACKEND_MISSING',
        kind: 'input',
        message: '--backend zot: zot is not on PATH',
      }),
    );
    expect(() => chooseBackend('distribution', empty)).toThrow(
      expect.objectContaining({
        code: 'REGISTRY_BACKEND_MISSING',
        hint: expect.stringContaining('apt-get install docker-registry'),
      }),
    );
  });

  it('finds only executable files', () => {
    expect(findExecutable('zot', empty)).toBeUndefined();
    expect(findExecutable('zot', `${empty}:${withZot}`)).toBe(join(withZot, 'zot'));
  });
});

describe('planLaunch', () => {
  it('zot serves the embedded layout root with dedupe and gc, on the requested address', async () => {
    const home = join(root, 'home-zot');
    await mkdir(home);
    const layoutRoot = join(home, 'oci-registry');
    const plan = await planLaunch(
      { backend: 'zot', executable: '/opt/zot' },
      { home, layoutRoot, host: '127.0.0.1', port: 15000 },
    );
    expect(plan).toMatchObject({ backend: 'zot', storage: layoutRoot, sharesEmbeddedStorage: true });
    expect(plan.command).toEqual(['/opt/zot', 'serve', plan.configFile]);
    expect(JSON.parse(await readFile(plan.configFile!, 'utf8'))).toEqual({
      distSpecVersion: '1.1.0',
      storage: { rootDirectory: layoutRoot, dedupe: true, gc: true },
      http: { address: '127.0.0.1', port: '15000' },
      log: { level: 'info' },
    });
  });

  it('distribution gets its own storage directory and a config listening on the address', async () => {
    const home = join(root, 'home-dist');
    await mkdir(home);
    const plan = await planLaunch(
      { backend: 'distribution', executable: '/usr/bin/docker-registry' },
      { home, layoutRoot: join(home, 'oci-registry'), host: '::1', port: 15001 },
    );
    expect(plan).toMatchObject({ storage: distributionStorage(home), sharesEmbeddedStorage: false });
    const yml = await readFile(plan.configFile!, 'utf8');
    expect(yml).toContain(`rootdirectory: ${JSON.stringify(distributionStorage(home))}`);
    expect(yml).toContain('addr: "[::1]:15001"');
  });

  it('the built-in server is the oci-client detached entry over the layout root', async () => {
    const home = join(root, 'home-builtin');
    await mkdir(home);
    const plan = await planLaunch(
      { backend: 'builtin', executable: process.execPath },
      { home, layoutRoot: join(home, 'store'), host: '127.0.0.1', port: 15002 },
    );
    expect(plan.command).toEqual([
      process.execPath,
      builtinServerEntry(),
      '--root',
      join(home, 'store'),
      '--port',
      '15002',
      '--host',
      '127.0.0.1',
    ]);
    expect(builtinServerEntry()).toMatch(/oci-client[/\\]dist[/\\]server[/\\]main\.js$/);
    await expect(readFile(builtinServerEntry(), 'utf8')).resolves.toContain('listening on');
  });
});
