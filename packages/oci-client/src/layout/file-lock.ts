/**
 * A lock file for read-modify-write cycles on `index.json` shared by several processes.
 * Created with O_EXCL; it records pid, host and time so a lock left behind by a crashed process
 * (dead pid on this host, or older than `staleMs`) is broken instead of blocking forever.
 */

import { rmSync, writeFileSync } from 'node:fs';
import { link, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProvisioningError, processAlive } from '@provisioning/schemas';

export interface LockOptions {
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
  /** A lock older than this is considered abandoned (default 30 s; holders keep it for milliseconds). */
  staleMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
  time: number;
}

export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const release = await acquire(lockPath, options);
  try {
    return await fn();
  } finally {
    await release();
  }
}

async function acquire(lockPath: string, options: LockOptions): Promise<() => Promise<void>> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const staleMs = options.staleMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const me: LockOwner = { pid: process.pid, host: hostname(), time: Date.now() };
  let wait = 2;
  for (;;) {
    try {
      // synchronous: a few bytes, taken and dropped by every index update
      writeFileSync(lockPath, JSON.stringify(me), { flag: 'wx', mode: 0o644 });
      // Long holders (gc of a big layout) keep the lock fresh so nobody judges it abandoned.
      const heartbeat = setInterval(
        () => {
          const now = new Date();
          utimes(lockPath, now, now).catch(() => undefined);
        },
        Math.max(10, Math.floor(staleMs / 3)),
      );
      heartbeat.unref();
      return async () => {
        clearInterval(heartbeat);
        rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const staleText = await staleLockText(lockPath, staleMs);
    if (staleText !== undefined) {
      await breakStaleLock(lockPath, staleText);
      continue;
    }
    if (Date.now() > deadline) {
      throw new ProvisioningError('LAYOUT_LOCK_TIMEOUT', `timed out waiting for lock ${lockPath}`, {
        kind: 'internal',
        hint: 'another process is updating this layout; retry, or remove the lock file if no such process is running',
        details: { lockPath },
      });
    }
    await sleep(wait);
    wait = Math.min(wait * 2, 50);
  }
}

/**
 * Move the lock aside, then check it is the one judged stale: if another process replaced it in
 * between (it broke the same stale lock first and took a fresh one), put that fresh lock back.
 */
async function breakStaleLock(lockPath: string, staleText: string): Promise<void> {
  const aside = `${lockPath}.stale.${process.pid}.${Date.now()}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return;
  }
  const moved = await readFile(aside, 'utf8').catch(() => staleText);
  if (moved !== staleText) await link(aside, lockPath).catch(() => undefined);
  await rm(aside, { force: true });
}

/** The lock file's content when it is abandoned, undefined when it is live or gone. */
async function staleLockText(lockPath: string, staleMs: number): Promise<string | undefined> {
  try {
    const [info, text] = await Promise.all([stat(lockPath), readFile(lockPath, 'utf8')]);
    if (Date.now() - info.mtimeMs > staleMs) return text;
    let owner: Partial<LockOwner> | undefined;
    try {
      owner = JSON.parse(text) as Partial<LockOwner>;
    } catch {
      // Being written right now (empty) or garbage: only age decides.
      return undefined;
    }
    const dead = owner.host === hostname() && typeof owner.pid === 'number' && !processAlive(owner.pid);
    return dead ? text : undefined;
  } catch {
    return undefined; // vanished meanwhile: just retry
  }
}
