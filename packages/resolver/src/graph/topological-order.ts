import { cycleError, findCycles } from './cycles.js';
import type { DependencyGraph, GraphNode } from './dependency-graph.js';

/**
 * Nodes ordered so every package comes after all of its dependencies (the install order).
 * Ties are broken by name, so the order is the same on every run. Throws DEPENDENCY_CYCLE with
 * the full cycle path when no such order exists.
 */
export function topologicalOrder(graph: DependencyGraph): GraphNode[] {
  const cycles = findCycles(graph);
  if (cycles.length > 0) throw cycleError(cycles);

  const remaining = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const node of graph.nodes.values()) {
    const dependencies = new Set(
      node.dependencies.map((edge) => edge.name).filter((name) => graph.nodes.has(name)),
    );
    remaining.set(node.name, dependencies.size);
    for (const dependency of dependencies) {
      const list = dependents.get(dependency) ?? [];
      list.push(node.name);
      dependents.set(dependency, list);
    }
  }
  const ready = [...remaining].filter(([, count]) => count === 0).map(([name]) => name);
  const order: GraphNode[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    const name = ready.pop()!;
    order.push(graph.nodes.get(name)!);
    for (const dependent of dependents.get(name) ?? []) {
      const count = remaining.get(dependent)! - 1;
      remaining.set(dependent, count);
      if (count === 0) ready.push(dependent);
    }
  }
  return order;
}
