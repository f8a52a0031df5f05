import type { DependencyEdge, DependencyGraph } from './dependency-graph.js';
import { requireNode } from './not-in-graph.js';

export interface WhyResult {
  name: string;
  version: string;
  /**
   * Every path from the workspace to the package. Each step is an edge: the package reached, the
   * range its dependent (the previous step, or the workspace for the first) asked for, and the
   * version selected. Paths never repeat a package; at most `limit` are returned.
   */
  paths: DependencyEdge[][];
  /** True when more paths exist than were returned. */
  truncated: boolean;
}

/** Why is `name` in the graph: every dependency path that leads to it from the workspace. */
export function why(graph: DependencyGraph, name: string, options: { limit?: number } = {}): WhyResult {
  const target = requireNode(graph, name);
  const limit = options.limit ?? 1000;
  const leadsToTarget = ancestorsOf(graph, name);
  const paths: DependencyEdge[][] = [];
  let truncated = false;
  const path: DependencyEdge[] = [];
  const onPath = new Set<string>();

  const walk = (edge: DependencyEdge): void => {
    if (truncated || onPath.has(edge.name) || !leadsToTarget.has(edge.name)) return;
    path.push(edge);
    onPath.add(edge.name);
    if (edge.name === name) {
      if (paths.length < limit) paths.push([...path]);
      else truncated = true;
    } else {
      for (const next of graph.nodes.get(edge.name)?.dependencies ?? []) walk(next);
    }
    path.pop();
    onPath.delete(edge.name);
  };
  for (const root of graph.roots) walk(root);
  return { name, version: target.version, paths, truncated };
}

/** `name` and every package that depends on it, directly or not. */
function ancestorsOf(graph: DependencyGraph, name: string): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const node of graph.nodes.values()) {
    for (const edge of node.dependencies) {
      const list = dependents.get(edge.name) ?? [];
      list.push(node.name);
      dependents.set(edge.name, list);
    }
  }
  const result = new Set([name]);
  const pending = [name];
  while (pending.length > 0) {
    for (const dependent of dependents.get(pending.pop()!) ?? []) {
      if (!result.has(dependent)) {
        result.add(dependent);
        pending.push(dependent);
      }
    }
  }
  return result;
}
