/**
 * `workspace list` and `workspace info`: where workspaces are, and one workspace at a glance — its
 * sources, its lockfile, the installed generation and any drift between them (the checks of
 * `dep validate`, no network).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { hasWorkspaceConfig, WORKSPACE_CONFIG_FILE } from '../config/discover.js';
import { findCurrent, listGenerations } from '../install/generation-record.js';
import { currentGeneration } from '../install/generations.js';
import { readLockfile } from '../lockfile/lockfile-io.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';
import { type ValidationProblem, validateWorkspace } from '../validate/validate-workspace.js';

export interface WorkspaceInfo {
  root: string;
  config: string;
  registry: string;
  namespace: string;
  storage: 'registry' | 'embedded';
  sourceType: string;
  /** `dependencies.core.source`, when pinned. */
  core?: string;
  lock: { modules: number; byType: Record<string, number> } | null;
  /** The installed generation's number (as `dep history` lists it), or null before the first install. */
  generation: number | null;
  /** Install generations kept for `dep rollback`. */
  generations: number;
  drift: ValidationProblem[];
}

export async function workspaceInfo(
  settings: WorkspaceSettings,
  options: { coreVersion: string },
): Promise<WorkspaceInfo> {
  const lock = await readLockfile(settings.root);
  const byType: Record<string, number> = {};
  for (const module of Object.values(lock?.modules ?? {}))
    byType[module.type] = (byType[module.type] ?? 0) + 1;
  const generations = (await listGenerations(settings.root)).filter((g) => g.committed);
  const current = findCurrent(generations, await currentGeneration(settings.root));
  const validation = await validateWorkspace(settings, options);
  const core = settings.config.dependencies.core?.source;
  return {
    root: settings.root,
    config: join(settings.root, WORKSPACE_CONFIG_FILE),
    registry: settings.registry,
    namespace: settings.extensionsNamespace,
    storage: settings.registryType === 'oci-layout' ? 'embedded' : 'registry',
    sourceType: settings.config.dependencies.extensions?.source_type ?? 'oci',
    ...(core === undefined ? {} : { core }),
    lock: lock === undefined ? null : { modules: Object.keys(lock.modules).length, byType },
    generation: current?.number ?? null,
    generations: generations.length,
    drift: validation.problems,
  };
}

/** Directories that skip the search: installed trees, VCS data and package managers' stores. */
const SKIPPED = new Set(['.git', '.provisioning', 'node_modules', '.pnpm-store']);

/** Workspaces (directories holding `config/provisioning.yaml`) under `dir`, at most `depth` levels down. */
export async function listWorkspaces(dir: string, depth = 3): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string, level: number): Promise<void> => {
    if (hasWorkspaceConfig(current)) found.push(current);
    if (level >= depth) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch {
      return; // unreadable directories are skipped, as find(1) would report and go on
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) await walk(join(current, entry.name), level + 1);
    }
  };
  await walk(dir, 0);
  return found;
}
