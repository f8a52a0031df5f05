import type { DependencyEdge, DependencyGraph, GraphNode } from './graph/dependency-graph.js';
import { SolveError } from './solve-error.js';
import { Catalog } from './solver/catalog.js';
import { Describer } from './solver/describe.js';
import { explainFailure } from './solver/explain.js';
import { NoSolution, PubGrub } from './solver/pubgrub.js';
import type { PackageSource } from './source.js';

export interface SolveOptions {
  /** Requirements of the workspace: name → npm semver range. */
  root: Record<string, string>;
  /** Shown in messages; default 'your workspace'. */
  rootName?: string;
  source: PackageSource;
  /** Running CLI version: versions whose minCoreVersion is greater are unavailable. */
  coreVersion?: string;
  /** The core's name in messages ("you are running NAME 3.5.0"); default 'provisioning'. */
  coreName?: string;
  /** Preferred versions (from the lockfile), used whenever they still satisfy every range. */
  locked?: Record<string, string>;
  /** Names whose lock preference is dropped. */
  unlock?: string[];
}

export interface Solution {
  /** Selected version by package name (sorted by name). */
  versions: Map<string, string>;
  graph: DependencyGraph;
}

/** Extra knobs used by updateOne; not part of the public options. */
export interface InternalSolveOptions extends SolveOptions {
  requests?: Record<string, string>;
  first?: string[];
}

export const DEFAULT_ROOT_NAME = 'your workspace';

/** Finds the newest versions that satisfy every requirement, or throws SolveError explaining why none do. */
export async function solve(options: SolveOptions): Promise<Solution> {
  return solveInternal(options);
}

export async function solveInternal(options: InternalSolveOptions): Promise<Solution> {
  const rootName = options.rootName ?? DEFAULT_ROOT_NAME;
  const catalog = new Catalog(options.source, options.coreVersion);
  const solver = new PubGrub({
    catalog,
    rootName,
    root: options.root,
    requests: options.requests ?? {},
    locked: options.locked ?? {},
    unlock: new Set(options.unlock ?? []),
    first: new Set(options.first ?? []),
  });
  let chosen: Map<string, string>;
  try {
    chosen = await solver.run();
  } catch (error) {
    if (!(error instanceof NoSolution)) throw error;
    const describer = new Describer(rootName, (name) => catalog.loaded(name), options.coreName);
    throw new SolveError(explainFailure(error.incompatibility, describer), error.incompatibility);
  }

  const nodes = new Map<string, GraphNode>();
  const reachable = new Set<string>();
  const pending = Object.keys(options.root);
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (reachable.has(name)) continue;
    reachable.add(name);
    const version = chosen.get(name)!;
    const universe = await catalog.universe(name);
    const metadata = await catalog.metadata(universe, universe.indexOf(version));
    const dependencies: DependencyEdge[] = Object.keys(metadata.dependencies ?? {})
      .sort()
      .map((dependency) => ({
        name: dependency,
        range: metadata.dependencies[dependency]!,
        version: chosen.get(dependency)!,
      }));
    nodes.set(name, { name, version, id: `${name}@${version}`, dependencies });
    pending.push(...dependencies.map((edge) => edge.name));
  }

  const sortedNames = [...reachable].sort();
  const roots = Object.keys(options.root)
    .sort()
    .map((name) => ({ name, range: options.root[name]!, version: chosen.get(name)! }));
  return {
    versions: new Map(sortedNames.map((name) => [name, chosen.get(name)!])),
    graph: { rootName, roots, nodes: new Map(sortedNames.map((name) => [name, nodes.get(name)!])) },
  };
}
