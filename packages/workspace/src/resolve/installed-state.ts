/** What is installed now, and the order to install in: light helpers shared with the frozen fast path. */
import { cycleError, type DependencyGraph, findCycles, topologicalOrder } from '@provisioning/resolver';
import type { Lockfile } from '@provisioning/schemas';
import { generationLockfile } from '../install/generation-record.js';
import { currentGeneration } from '../install/generations.js';

/** Dependencies before dependents; a cycle is reported with its full path. */
export function installOrder(graph: DependencyGraph): string[] {
  const cycles = findCycles(graph);
  if (cycles.length > 0) throw cycleError(cycles);
  return topologicalOrder(graph).map((node) => node.name);
}

/** The lockfile the current generation was installed with. */
export async function installedLockfile(workspaceRoot: string): Promise<Lockfile | undefined> {
  const current = await currentGeneration(workspaceRoot);
  return current ? generationLockfile(current) : undefined;
}
