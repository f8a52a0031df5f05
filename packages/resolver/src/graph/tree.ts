import { ResolverError } from '../resolver-error.js';
import type { DependencyEdge, DependencyGraph } from './dependency-graph.js';
import { requireNode } from './not-in-graph.js';

export interface TreeOptions {
  /** Start at this package instead of the workspace. Required with `invert`. */
  root?: string;
  /** Levels of children to include below the top node (0: the top node only). Default: all. */
  depth?: number;
  /** Show who depends on `root` (dependents as children) instead of what it depends on. */
  invert?: boolean;
}

/** Data for a tree renderer; the CLI draws it. */
export interface TreeNode {
  name: string;
  /** Absent for the workspace itself. */
  version?: string;
  /** The range the parent asked for (or, inverted, the range this dependent asks for its child). */
  range?: string;
  children: TreeNode[];
  /** Already expanded earlier in this tree; children omitted (like cargo's "(*)"). */
  deduped?: true;
  /** Depends back on a package above it; children omitted. */
  cycle?: true;
  /** Has children that the depth limit cut off. */
  truncated?: true;
}

/** A nested view of the graph from the workspace (or one package), optionally inverted. */
export function tree(graph: DependencyGraph, options: TreeOptions = {}): TreeNode {
  const depth = options.depth ?? Number.POSITIVE_INFINITY;
  if (!(depth >= 0)) {
    throw new ResolverError('INVALID_TREE_DEPTH', `tree depth must be 0 or more, got ${options.depth}`, {
      kind: 'usage',
      hint: 'Pass --depth with a whole number such as 1.',
    });
  }
  if (options.invert) {
    if (options.root === undefined) {
      throw new ResolverError('TREE_INVERT_NEEDS_NAME', 'an inverted tree needs the package to start from', {
        kind: 'usage',
        hint: 'Name the package whose dependents you want to see, e.g. "provisioning dep tree kubernetes --invert".',
      });
    }
    requireNode(graph, options.root);
  }
  const children = options.invert
    ? dependentsOf(graph)
    : (name: string) => graph.nodes.get(name)?.dependencies ?? [];
  const expanded = new Set<string>();

  const build = (
    edge: DependencyEdge | undefined,
    name: string,
    level: number,
    path: Set<string>,
  ): TreeNode => {
    const node: TreeNode = { name, children: [] };
    const version = graph.nodes.get(name)?.version;
    if (version !== undefined && name !== WORKSPACE) node.version = version;
    if (edge) node.range = edge.range;
    if (name === WORKSPACE) node.name = graph.rootName;
    const below = name === WORKSPACE && !options.invert ? graph.roots : children(name);
    if (below.length === 0) return node;
    if (path.has(name)) {
      node.cycle = true;
      return node;
    }
    if (expanded.has(name)) {
      node.deduped = true;
      return node;
    }
    if (level >= depth) {
      node.truncated = true;
      return node;
    }
    expanded.add(name);
    path.add(name);
    node.children = below.map((child) => build(child, child.name, level + 1, path));
    path.delete(name);
    return node;
  };

  if (options.root === undefined) return build(undefined, WORKSPACE, 0, new Set());
  requireNode(graph, options.root);
  return build(undefined, options.root, 0, new Set());
}

/** Key of the workspace in inverted trees; cannot clash with a package name. */
const WORKSPACE = '\u0000workspace';

/** For each package, the edges from its dependents (the workspace included), sorted by name. */
function dependentsOf(graph: DependencyGraph): (name: string) => DependencyEdge[] {
  const dependents = new Map<string, DependencyEdge[]>();
  const add = (target: string, edge: DependencyEdge) => {
    const list = dependents.get(target) ?? [];
    list.push(edge);
    dependents.set(target, list);
  };
  for (const node of graph.nodes.values()) {
    for (const edge of node.dependencies)
      add(edge.name, { name: node.name, range: edge.range, version: node.version });
  }
  for (const edge of graph.roots) add(edge.name, { name: WORKSPACE, range: edge.range, version: '' });
  for (const list of dependents.values()) list.sort((a, b) => sortKey(a.name).localeCompare(sortKey(b.name)));
  return (name) => (name === WORKSPACE ? [] : (dependents.get(name) ?? []));
}

/** The workspace sorts first among dependents. */
function sortKey(name: string): string {
  return name === WORKSPACE ? '' : name;
}
