/**
 * Generations make an install atomic as seen by a user: a new tree is built under
 * `.provisioning/generations/<id>/`, then `.provisioning/extensions` (a symlink) is switched to it with
 * one rename of a temporary symlink. That rename is the commit point. The generation carries the
 * lockfile it was built for; `config/provisioning.lock` is written from it right after the switch,
 * and `recoverWorkspace` repeats that step if a run died between the two. Committed generations
 * stay on disk, up to `--keep N`, as the install history `dep rollback` returns to.
 */
import { lstat, readdir, readFile, readlink, rename, rm, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { syncDir, writeFileAtomic } from '@provisioning/schemas';
import { lockfilePath } from '../lockfile/lockfile-io.js';
import {
  findCurrent,
  listGenerations,
  markCommitted,
  nextGenerationNumber,
  previousGeneration,
  writeGenerationRecord,
} from './generation-record.js';
import { extensionsLink, GENERATION_LOCK, generationsDir, stateDir } from './layout-paths.js';
import { applyRollbackConfig, clearRollbackIntent, readRollbackIntent } from './rollback-marker.js';

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
  /** Generation directories removed (unfinished builds of killed runs). */
  removedGenerations: string[];
  /** A rollback that died after its switch was finished: its config text was written. */
  finishedRollback?: { generation: string; configRewritten: boolean };
}

/**
 * Bring a workspace back to a consistent state after an interrupted run. Call with the workspace lock
 * held. Idempotent and cheap when nothing needs doing.
 */
export async function recoverWorkspace(workspaceRoot: string): Promise<RecoveryReport> {
  const report: RecoveryReport = { repairedLockfile: false, removedGenerations: [] };
  const current = await currentGeneration(workspaceRoot);
  const isGeneration = current !== undefined && current !== extensionsLink(workspaceRoot);
  if (isGeneration) {
    const committed = await readFile(join(current, GENERATION_LOCK), 'utf8').catch(() => undefined);
    if (committed !== undefined) {
      const onDisk = await readFile(lockfilePath(workspaceRoot), 'utf8').catch(() => undefined);
      if (onDisk !== committed) {
        await writeFileAtomic(lockfilePath(workspaceRoot), committed);
        report.repairedLockfile = true;
      }
    }
    await adoptCurrent(workspaceRoot, current);
  }
  const intent = await readRollbackIntent(workspaceRoot);
  if (intent) {
    if (isGeneration && basename(current) === intent.generation) {
      const configRewritten = await applyRollbackConfig(intent);
      report.finishedRollback = { generation: intent.generation, configRewritten };
    }
    await clearRollbackIntent(workspaceRoot);
  }
  report.removedGenerations = await removeUnfinishedGenerations(workspaceRoot, current);
  await rm(`${extensionsLink(workspaceRoot)}.tmp-${process.pid}`, { force: true });
  return report;
}

/** The current generation is committed by definition; one from before records were kept gets one. */
async function adoptCurrent(workspaceRoot: string, current: string): Promise<void> {
  const generations = await listGenerations(workspaceRoot);
  const entry = generations.find((g) => g.id === basename(current));
  if (!entry) return;
  if (entry.number === 0) {
    await writeGenerationRecord(current, {
      number: nextGenerationNumber(generations),
      created: entry.created,
      command: entry.command,
    });
  }
  if (!entry.committed) await markCommitted(current);
}

/** Delete the generations that were never committed (half-built ones of killed runs), and temp links. */
export async function removeUnfinishedGenerations(
  workspaceRoot: string,
  current: string | undefined,
): Promise<string[]> {
  const removed: string[] = [];
  for (const generation of await listGenerations(workspaceRoot)) {
    if (generation.committed || (current && generation.dir === current)) continue;
    await rm(generation.dir, { recursive: true, force: true });
    removed.push(generation.id);
  }
  // temp symlinks of killed runs
  for (const name of await readdir(stateDir(workspaceRoot)).catch(() => [] as string[])) {
    if (name.startsWith('extensions.tmp-')) await rm(join(stateDir(workspaceRoot), name), { force: true });
  }
  return removed;
}

/** Generations kept by default: `--keep N` (docs/workspaces.md). */
export const DEFAULT_KEEP_GENERATIONS = 5;

/**
 * Drop committed generations past the `keep` newest. The current one and the one `dep rollback`
 * would return to are never dropped, whatever `keep` says.
 */
export async function pruneGenerations(
  workspaceRoot: string,
  keep: number = DEFAULT_KEEP_GENERATIONS,
): Promise<string[]> {
  const generations = await listGenerations(workspaceRoot);
  const current = findCurrent(generations, await currentGeneration(workspaceRoot));
  const kept = new Set<string>(
    generations
      .filter((g) => g.committed)
      .slice(-Math.max(1, keep))
      .map((g) => g.id),
  );
  if (current) kept.add(current.id);
  const previous = previousGeneration(generations, current);
  if (previous) kept.add(previous.id);
  const removed: string[] = [];
  for (const generation of generations) {
    if (kept.has(generation.id) || !generation.committed) continue;
    await rm(generation.dir, { recursive: true, force: true });
    removed.push(generation.id);
  }
  return removed;
}
