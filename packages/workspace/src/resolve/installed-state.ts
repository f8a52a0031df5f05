/** What is installed now, and the order to install in: light helpers shared with the frozen fast path. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cycleError, type DependencyGraph, findCycles, topologicalOrder } from '@provisioning/resolver';
import { type Lockfile, parseYamlData } from '@provisioning/schemas';
import { currentGeneration } from '../install/generations.js';
import { GENERATION_LOCK } from '../install/layout-paths.js';

/** Dependencies before dependents; a cycle is reported with its full path. */
export function installOrder(graph: DependencyGraph): string[] {
  const cycles = findCycles(graph);
  if (cycles.length > 0) throw cycleError(cycles);
  return topologicalOrder(graph).map((node) => node.name);
}

/** The lockfile the current generation was installed with. */
export async function installedLockfile(workspaceRoot: string): Promise<Lockfile | undefined> {
  const current = await currentGeneration(workspaceRoot);
  if (!current) return undefined;
  const text = await readFile(join(current, GENERATION_LOCK), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  return parseYamlData(text, { file: join(current, GENERATION_LOCK) }) as Lockfile;
}
