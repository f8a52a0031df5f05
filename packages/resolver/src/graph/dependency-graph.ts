/** One edge: a dependent asked for `name` within `range` and got `version`. */
export interface DependencyEdge {
  name: string;
  range: string;
  version: string;
}

/** A selected package version and the resolved edges to its own dependencies. */
export interface GraphNode {
  name: string;
  version: string;
  /** `name@version`. */
  id: string;
  dependencies: DependencyEdge[];
}

/**
 * The resolved dependency graph: one node per selected package (one version per name), edges
 * carrying the range each dependent asked for, and the workspace's own requirements as `roots`.
 * Dependency cycles are legal here; `findCycles` and `topologicalOrder` report them.
 */
export interface DependencyGraph {
  /** Name shown for the workspace in trees and paths. */
  rootName: string;
  roots: DependencyEdge[];
  /** Nodes by package name, sorted by name. */
  nodes: Map<string, GraphNode>;
}
