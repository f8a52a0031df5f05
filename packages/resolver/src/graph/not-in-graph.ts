import { ResolverError } from '../resolver-error.js';
import type { DependencyGraph, GraphNode } from './dependency-graph.js';

/** The node for `name`, or a ResolverError saying the package is not part of the resolution. */
export function requireNode(graph: DependencyGraph, name: string): GraphNode {
  const node = graph.nodes.get(name);
  if (node) return node;
  throw new ResolverError('PACKAGE_NOT_IN_GRAPH', `${name} is not a dependency of ${graph.rootName}`, {
    kind: 'input',
    hint: 'Run "provisioning dep tree" to list the resolved dependencies, and check the spelling.',
    details: { package: name },
  });
}
