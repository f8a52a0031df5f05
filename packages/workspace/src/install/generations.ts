/**
 * Generations make an install atomic as seen by a user: a new tree is built under
 * `.provisioning/generations/<id>/`, then `.provisioning/extensions` (a symlink) is switched to it with
 * one rename of a temporary symlink. That rename is the commit point. The generation carries the
 * lockfile it was built for; `config/provisioning.lock` is written from it right after the switch,
 * and `recoverWorkspace` repeats that step if a run died between the two.
 */
import { lstat, readdir, readFile, readlink, rename, rm, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { syncDir, writeFileAtomic } from '@provisioning/schemas';
import { lockfilePath } from '../lockfile/lockfile-io.js';
import { extensionsLink, GENERATION_LOCK, generationsDir, stateDir } from './layout-paths.js';

/** Absolute directory of the current generation, or undefined before the first install. */
export async function currentGeneration(workspaceRoot: string): Promise<string | undefined> {
  const link = extensionsLink(workspaceRoot);
  let target: string;
  try {
    target = await readlink(link);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EINVAL') return link; // a plain directory (installed by hand or an older tool)
    throw err;
  }
  return join(stateDir(workspaceRoot), target);
}

/** Point `.provisioning/extensions` at `generationDir` atomically. */
export async function switchGeneration(workspaceRoot: string, generationDir: string): Promise<void> {
  const link = extensionsLink(workspaceRoot);
  const temp = `${link}.tmp-${process.pid}`;
  await rm(temp, { force: true });
  // relative target: the workspace can be moved or mounted elsewhere
  await symlink(join('generations', basename(generationDir)), temp);
  const existing = await lstat(link).catch(() => undefined);
  if (existing?.isDirectory()) {
    // a real directory cannot be replaced by rename(2); park it as a generation first
    await rename(link, join(generationsDir(workspaceRoot), `adopted-${Date.now()}`));
  }
  await rename(temp, link);
  await syncDir(stateDir(workspaceRoot));
}

export interface RecoveryReport {
  /** config/provisioning.lock was rewritten from the current generation (a run died after its switch). */
  repairedLockfile: boolean;
  /** Generation directories removed (unfinished or superseded). */
  removedGenerations: string[];
}

/**
 * Bring a workspace back to a consistent state after an interrupted run. Call with the workspace lock
 * held. Idempotent and cheap when nothing needs doing.
 */
export async function recoverWorkspace(workspaceRoot: string): Promise<RecoveryReport> {
  const report: RecoveryReport = { repairedLockfile: false, removedGenerations: [] };
  const current = await currentGeneration(workspaceRoot);
  if (current && current !== extensionsLink(workspaceRoot)) {
    const committed = await readFile(join(current, GENERATION_LOCK), 'utf8').catch(() => undefined);
    if (committed !== undefined) {
      const onDisk = await readFile(lockfilePath(workspaceRoot), 'utf8').catch(() => undefined);
      if (onDisk !== committed) {
        await writeFileAtomic(lockfilePath(workspaceRoot), committed);
        report.repairedLockfile = true;
      }
    }
  }
  report.removedGenerations = await removeOtherGenerations(workspaceRoot, current);
  await rm(`${extensionsLink(workspaceRoot)}.tmp-${process.pid}`, { force: true });
  return report;
}

/** Delete every generation except `keep` (old ones, and half-built ones of killed runs). */
export async function removeOtherGenerations(
  workspaceRoot: string,
  keep: string | undefined,
): Promise<string[]> {
  const dir = generationsDir(workspaceRoot);
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if (keep && path === keep) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(name);
  }
  // temp symlinks of killed runs
  for (const name of await readdir(stateDir(workspaceRoot)).catch(() => [] as string[])) {
    if (name.startsWith('extensions.tmp-')) await rm(join(stateDir(workspaceRoot), name), { force: true });
  }
  return removed;
}
