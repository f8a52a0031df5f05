export type { DependencyEdge, DependencyGraph, GraphNode } from './graph/dependency-graph.js';
export { type Solution, type SolveOptions, solve } from './solve.js';
export { SolveError } from './solve-error.js';
export { InMemorySource, type InMemoryVersion, type PackageMetadata, type PackageSource } from './source.js';
