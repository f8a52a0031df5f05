import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '@provisioning/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForExit } from './process-check.js';
import { localRegistryStatus } from './registry-status.js';
import { logFilePath, startLocalRegistry } from './start-registry.js';
import { readState } from './state-file.js';
import { stopLocalRegistry } from './stop-registry.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'start-registry-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('startLocalRegistry', () => {
  it('a server that never answers times out, is killed with its children, and names the log', async () => {
    const home = join(root, 'home-timeout');
    const bin = join(root, 'hanging-bin');
    await mkdir(bin, { recursive: true });
    const pidFile = join(root, 'child.pid');
    // a wrapper script whose "server" (a child process) never listens
    await writeFile(
      join(bin, 'docker-registry'),
      `#!/bin/sh\necho "starting up"\nsleep 60 &\necho $! > ${JSON.stringify(pidFile)}\nwait\n`,
    );
    await chmod(join(bin, 'docker-registry'), 0o755);
    const started = Date.now();
    await expect(
      startLocalRegistry({
        home,
        layoutRoot: join(home, 'oci-registry'),
        port: await freePort(),
        backend: 'distribution',
        path: bin,
        readyTimeoutMs: 800,
      }),
    ).rejects.toMatchObject({
      code: 'REGISTRY_START_TIMEOUT',
      kind: 'input',
      message: expect.stringMatching(
        /^the distribution registry did not answer 127\.0\.0\.1:\d+\/v2\/ within 1 s$/,
      ),
      hint: `see ${logFilePath(home)}`,
    });
    expect(Date.now() - started).toBeLessThan(8000);
    expect(await readState(home)).toBeUndefined();
    expect(await readFile(logFilePath(home), 'utf8')).toContain('starting up');
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    expect(await waitForExit(grandchild, 3000)).toBe(true);
  });

  it('the built-in server starts, reports, and stops through the library', async () => {
    const home = join(root, 'home-builtin');
    const layoutRoot = join(root, 'elsewhere', 'store');
    const port = await freePort();
    const { state, notes } = await startLocalRegistry({ home, layoutRoot, port, backend: 'builtin' });
    try {
      expect(notes).toEqual([]);
      expect(state).toMatchObject({
        backend: 'builtin',
        port,
        endpoint: `127.0.0.1:${port}`,
        storage: layoutRoot,
      });
      expect(processAlive(state.pid)).toBe(true);
      expect(await localRegistryStatus({ home, layoutRoot })).toMatchObject({
        condition: 'running',
        healthy: true,
        repositories: 0,
      });
    } finally {
      expect((await stopLocalRegistry({ home })).outcome).toBe('stopped');
    }
    expect(await waitForExit(state.pid, 2000)).toBe(true);
    expect((await localRegistryStatus({ home, layoutRoot })).condition).toBe('stopped');
  });
});
