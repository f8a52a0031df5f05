export { cycleError, findCycles, formatCycle } from './graph/cycles.js';
export type { DependencyEdge, DependencyGraph, GraphNode } from './graph/dependency-graph.js';
export { type OutdatedOptions, type OutdatedRow, outdated } from './graph/outdated.js';
export { topologicalOrder } from './graph/topological-order.js';
export { type TreeNode, type TreeOptions, tree } from './graph/tree.js';
export {
  type UpdateOneOptions,
  type UpdateOneResult,
  updateOne,
  type VersionChange,
} from './graph/update-one.js';
export { type WhyResult, why } from './graph/why.js';
export { ResolverError, type ResolverErrorKind, type ResolverErrorOptions } from './resolver-error.js';
export { type Solution, type SolveOptions, solve } from './solve.js';
export { SolveError } from './solve-error.js';
export { InMemorySource, type InMemoryVersion, type PackageMetadata, type PackageSource } from './source.js';
