/**
 * `dep history`: the install generations kept in `.provisioning/generations/`, oldest first, each
 * with what changed against the one before it (docs/workspaces.md, "Install history and rollback").
 * Reads only; no lock, no network.
 */

import { findCurrent, type GenerationEntry, listGenerations } from '../install/generation-record.js';
import { currentGeneration } from '../install/generations.js';

export interface HistoryGeneration {
  generation: number;
  current: boolean;
  created: string;
  command: string;
  core_version?: string;
  /** name → version */
  modules: Record<string, string>;
  /** Against the generation listed before it: `redis 1.0.0 → 0.9.0`, `+ etcd 3.5.9`, `- cilium 1.14.0`. */
  changes: string[];
}

export interface InstallHistory {
  workspace: string;
  /** The installed generation's number, or null before the first install. */
  current: number | null;
  generations: HistoryGeneration[];
}

export async function installHistory(workspaceRoot: string): Promise<InstallHistory> {
  const generations = (await listGenerations(workspaceRoot)).filter((g) => g.committed);
  const current = findCurrent(generations, await currentGeneration(workspaceRoot));
  return {
    workspace: workspaceRoot,
    current: current?.number ?? null,
    generations: generations.map((g, i) => ({
      generation: g.number,
      current: g.id === current?.id,
      created: g.created,
      command: g.command,
      ...(g.coreVersion ? { core_version: g.coreVersion } : {}),
      modules: g.modules,
      changes: moduleChanges(generations[i - 1], g),
    })),
  };
}

/** What differs from `from` to `to`, one line per module, sorted by name. */
export function moduleChanges(from: GenerationEntry | undefined, to: GenerationEntry): string[] {
  const before = from?.modules ?? {};
  const names = [...new Set([...Object.keys(before), ...Object.keys(to.modules)])].sort();
  const lines: string[] = [];
  for (const name of names) {
    const a = before[name];
    const b = to.modules[name];
    if (a === b) continue;
    if (a === undefined) lines.push(`+ ${name} ${b}`);
    else if (b === undefined) lines.push(`- ${name} ${a}`);
    else lines.push(`${name} ${a} → ${b}`);
  }
  if (from?.coreVersion && to.coreVersion && from.coreVersion !== to.coreVersion)
    lines.push(`core ${from.coreVersion} → ${to.coreVersion}`);
  return lines;
}
