import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireWorkspaceLock, withWorkspaceLock, workspaceLockPath } from './workspace-lock.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ws-lock-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('workspace lock', () => {
  it('writes the owner pid and removes the file on release', async () => {
    const lock = await acquireWorkspaceLock(root);
    const owner = JSON.parse(await readFile(workspaceLockPath(root), 'utf8'));
    expect(owner.pid).toBe(process.pid);
    expect(owner.host).toBe(hostname());
    await lock.release();
    await expect(readFile(workspaceLockPath(root))).rejects.toThrow(/ENOENT/);
  });

  it('fails with WORKSPACE_LOCKED naming the owner after the timeout', async () => {
    const lock = await acquireWorkspaceLock(root);
    const started = Date.now();
    await expect(acquireWorkspaceLock(root, { timeoutMs: 300, pollMs: 20 })).rejects.toMatchObject({
      code: 'WORKSPACE_LOCKED',
      message: expect.stringContaining(`process ${process.pid}`),
      hint: expect.stringContaining('.lock'),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    await lock.release();
  });

  it('waits for the holder and then proceeds, never overlapping', async () => {
    const events: string[] = [];
    const run = (id: string) =>
      withWorkspaceLock(
        root,
        async () => {
          events.push(`start ${id}`);
          await new Promise((r) => setTimeout(r, 50));
          events.push(`end ${id}`);
        },
        { pollMs: 10 },
      );
    await Promise.all([run('a'), run('b'), run('c')]);
    for (let i = 0; i < events.length; i += 2) {
      expect(events[i]!.slice(6)).toBe(events[i + 1]!.slice(4));
    }
    expect(events).toHaveLength(6);
  });

  it('takes over a lock whose owner process is dead', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid: number = await new Promise((resolve) => child.on('exit', () => resolve(child.pid!)));
    await writeFile(
      workspaceLockPath(root),
      JSON.stringify({ pid: deadPid, host: hostname(), acquiredAt: new Date().toISOString() }),
    );
    const lock = await acquireWorkspaceLock(root, { timeoutMs: 2000 });
    expect(JSON.parse(await readFile(workspaceLockPath(root), 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('does not steal a lock held by a live process on another host', async () => {
    await writeFile(workspaceLockPath(root), JSON.stringify({ pid: 1, host: 'elsewhere', acquiredAt: 'x' }));
    await expect(acquireWorkspaceLock(root, { timeoutMs: 100, pollMs: 20 })).rejects.toMatchObject({
      code: 'WORKSPACE_LOCKED',
    });
    await rm(workspaceLockPath(root));
  });
});
