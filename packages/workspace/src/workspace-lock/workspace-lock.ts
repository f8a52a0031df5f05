/**
 * The workspace lock: one process at a time changes `.provisioning/` and `config/provisioning.lock`.
 *
 * An O_EXCL lock file holding the owner's pid and host. A lock whose owner is gone (same host, pid
 * no longer alive) is stale and taken over; a live owner makes us wait up to a timeout, then fail
 * with 'WORKSPACE_LOCKED'. Stale-lock removal itself happens under a short-lived second lock file,
 * so two waiters can never both delete and recreate the lock (which would let them interleave).
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeDirectory, ProvisioningError, processAlive } from '@provisioning/schemas';
import { workspaceLockPath } from '../install/state-paths.js';

export { workspaceLockPath };

export interface WorkspaceLockOptions {
  /** How long to wait for another run to finish (default 60 s, env `PROVISIONING_LOCK_TIMEOUT_MS`). */
  timeoutMs?: number;
  /** Poll interval while waiting (default 100 ms). */
  pollMs?: number;
  /** Called once when we start waiting for another process. */
  onWait?: (owner: LockOwner) => void;
}

export interface LockOwner {
  pid: number;
  host: string;
  acquiredAt: string;
}

export interface WorkspaceLock {
  readonly path: string;
  release(): Promise<void>;
}

/** A half-written lock file (owner killed between create and write) counts as stale after this. */
const UNREADABLE_LOCK_GRACE_MS = 5_000;

export async function acquireWorkspaceLock(
  workspaceRoot: string,
  options: WorkspaceLockOptions = {},
): Promise<WorkspaceLock> {
  const path = workspaceLockPath(workspaceRoot);
  await makeDirectory(join(workspaceRoot, '.provisioning'));
  const timeoutMs = options.timeoutMs ?? envTimeout() ?? 60_000;
  const pollMs = options.pollMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let waited = false;
  for (;;) {
    if (await tryCreate(path)) return handle(path);
    const owner = await readOwner(path);
    if (await isStale(path, owner)) {
      await removeStale(path, owner);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = owner
        ? `process ${owner.pid} on ${owner.host} since ${owner.acquiredAt}`
        : 'another process';
      throw new ProvisioningError('WORKSPACE_LOCKED', `workspace ${workspaceRoot} is locked by ${who}`, {
        kind: 'input',
        hint: `wait for the other provisioning run to finish; if none is running, delete ${path}`,
        details: { lockFile: path, ...(owner ? { ownerPid: owner.pid } : {}) },
      });
    }
    if (!waited && owner) options.onWait?.(owner);
    waited = true;
    await sleep(Math.min(pollMs, Math.max(1, deadline - Date.now())));
  }
}

/** Run `fn` while holding the workspace lock. */
export async function withWorkspaceLock<T>(
  workspaceRoot: string,
  fn: () => Promise<T>,
  options?: WorkspaceLockOptions,
): Promise<T> {
  const lock = await acquireWorkspaceLock(workspaceRoot, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

function handle(path: string): WorkspaceLock {
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      await rm(path, { force: true });
    },
  };
}

async function tryCreate(path: string): Promise<boolean> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    const owner: LockOwner = { pid: process.pid, host: hostname(), acquiredAt: new Date().toISOString() };
    await fh.writeFile(JSON.stringify(owner));
    await fh.sync();
  } finally {
    await fh.close();
  }
  return true;
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') {
      return { pid: parsed.pid, host: parsed.host, acquiredAt: String(parsed.acquiredAt ?? '') };
    }
  } catch {
    // missing or half-written: decided by isStale
  }
  return undefined;
}

async function isStale(path: string, owner: LockOwner | undefined): Promise<boolean> {
  if (owner) {
    // A lock from another host (shared file system) is never judged by our pid table.
    if (owner.host !== hostname()) return false;
    return !processAlive(owner.pid);
  }
  try {
    const info = await stat(path);
    return Date.now() - info.mtimeMs > UNREADABLE_LOCK_GRACE_MS;
  } catch {
    return false; // vanished: the next create attempt decides
  }
}

/** Delete a stale lock under the steal lock, after checking it is still the same stale lock. */
async function removeStale(path: string, seen: LockOwner | undefined): Promise<void> {
  const steal = `${path}.steal`;
  if (!(await tryCreate(steal))) {
    const stealOwner = await readOwner(steal);
    if (await isStale(steal, stealOwner)) await rm(steal, { force: true });
    await sleep(20);
    return;
  }
  try {
    const now = await readOwner(path);
    const same = now?.pid === seen?.pid && now?.acquiredAt === seen?.acquiredAt;
    if (same && (await isStale(path, now))) await rm(path, { force: true });
  } finally {
    await rm(steal, { force: true });
  }
}

function envTimeout(): number | undefined {
  const raw = process.env.PROVISIONING_LOCK_TIMEOUT_MS;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    throw new ProvisioningError(
      'ENV_INVALID',
      `PROVISIONING_LOCK_TIMEOUT_MS must be a number of milliseconds`,
      {
        kind: 'input',
        hint: 'set it to e.g. 30000 or unset it',
      },
    );
  }
  return n;
}
