import { ProvisioningError } from '@provisioning/schemas';
import semver from 'semver';
import type { PackageMetadata, PackageSource } from '../source.js';
import { Incompatibility } from './incompatibility.js';
import { Term } from './term.js';
import { Universe } from './universe.js';
import { VersionSet } from './version-set.js';

/** What the solver knows about a package once every version's metadata has been read. */
export interface PackageFacts {
  universe: Universe;
  metadata: readonly PackageMetadata[];
  /** For each version index, the dependency incompatibilities that cover it. */
  dependencyIncompatibilities: readonly (readonly Incompatibility[])[];
  /** Versions that cannot run on the current core, one incompatibility per adjacent group. */
  coreIncompatibilities: readonly Incompatibility[];
}

/**
 * Caches everything read from the PackageSource. Each package's versions and metadata are asked
 * for once, in parallel, and turned into incompatibilities whose version ranges are collapsed over
 * adjacent versions with the same dependency (as Dart pub does), so explanations read
 * "foo >=2.0.0 depends on bar ^1.0.0" rather than listing versions one by one.
 */
export class Catalog {
  private readonly universes = new Map<string, Promise<Universe>>();
  private readonly facts = new Map<string, Promise<PackageFacts>>();

  constructor(
    private readonly source: PackageSource,
    private readonly coreVersion: string | undefined,
  ) {}

  private readonly known = new Map<string, Universe>();

  universe(name: string): Promise<Universe> {
    let universe = this.universes.get(name);
    if (!universe) {
      universe = this.source.versions(name).then((versions) => {
        const loaded = new Universe(name, versions);
        this.known.set(name, loaded);
        return loaded;
      });
      this.universes.set(name, universe);
    }
    return universe;
  }

  /** A universe that has finished loading (every term the solver built refers to one). */
  loaded(name: string): Universe | undefined {
    return this.known.get(name);
  }

  /** Starts loading a package in the background; errors surface when it is awaited. */
  prefetch(name: string): void {
    this.load(name).catch(() => {});
  }

  load(name: string): Promise<PackageFacts> {
    let facts = this.facts.get(name);
    if (!facts) {
      facts = this.readFacts(name);
      this.facts.set(name, facts);
    }
    return facts;
  }

  /** Builds the term "dependency `name` within `range`", failing on a range semver can't parse. */
  async dependencyTerm(name: string, range: string, requiredBy: string): Promise<Term> {
    const universe = await this.universe(name);
    const versions = universe.matching(range);
    if (!versions) {
      throw new ProvisioningError(
        'INVALID_RANGE',
        `${requiredBy} requires ${name} with invalid range "${range}"`,
        {
          kind: 'input',
          hint: 'Use an npm semver range such as "^1.2.0", ">=1.0.0 <2.0.0" or "1.2.3".',
          details: { package: name, range, requiredBy },
        },
      );
    }
    return new Term(name, false, versions, range.trim() || '*');
  }

  private async readFacts(name: string): Promise<PackageFacts> {
    const universe = await this.universe(name);
    const metadata = await Promise.all(
      universe.versions.map((version) => this.source.metadata(name, version)),
    );
    const dependencyNames = new Set(metadata.flatMap((entry) => Object.keys(entry.dependencies ?? {})));
    await Promise.all([...dependencyNames].map((dependency) => this.universe(dependency)));

    const perVersion: Incompatibility[][] = universe.versions.map(() => []);
    for (const dependency of [...dependencyNames].sort()) {
      for (const run of sameRangeRuns(metadata, dependency)) {
        const depender = new Term(name, true, VersionSet.of(universe.size, range(run.first, run.last)));
        const requiredBy = `${name} ${universe.versions[run.first]}`;
        const target = await this.dependencyTerm(dependency, run.range, requiredBy);
        const incompatibility =
          dependency === name
            ? selfDependency(depender, target)
            : await this.dependencyIncompatibility(depender, target, { kind: 'dependency' });
        if (!incompatibility) continue;
        for (let index = run.first; index <= run.last; index++) perVersion[index]!.push(incompatibility);
      }
    }
    return {
      universe,
      metadata,
      dependencyIncompatibilities: perVersion,
      coreIncompatibilities: this.coreIncompatibilities(universe, metadata),
    };
  }

  /**
   * `depender` depends on `target` (a negative term). When the target range matches no existing
   * version, the dependency alone already forbids the depender; that conclusion is returned as a
   * derived incompatibility so the explanation can say "which doesn't match any versions".
   */
  async dependencyIncompatibility(
    depender: Term,
    target: Term,
    cause: { kind: 'dependency' } | { kind: 'root' } | { kind: 'request' },
  ): Promise<Incompatibility> {
    const dependency = new Incompatibility([depender, target], cause);
    if (!target.versions.isEmpty()) return dependency;
    const universe = await this.universe(target.name);
    const missing = new Incompatibility([target.negate()], {
      kind: universe.size === 0 ? 'unknown-package' : 'no-versions',
    });
    return new Incompatibility([depender], { kind: 'derived', conflict: dependency, other: missing });
  }

  private coreIncompatibilities(universe: Universe, metadata: readonly PackageMetadata[]): Incompatibility[] {
    const core = this.coreVersion;
    if (core === undefined) return [];
    const result: Incompatibility[] = [];
    let index = 0;
    while (index < metadata.length) {
      const required = minCore(universe, index, metadata[index]!);
      if (required === undefined || !semver.lt(core, required)) {
        index++;
        continue;
      }
      let last = index;
      while (last + 1 < metadata.length && minCore(universe, last + 1, metadata[last + 1]!) === required)
        last++;
      const versions = new Term(universe.name, true, VersionSet.of(universe.size, range(index, last)));
      const requires = new Incompatibility([versions], { kind: 'core-requires', required: `>=${required}` });
      const running = new Incompatibility([], { kind: 'core-running', running: core });
      result.push(new Incompatibility([versions], { kind: 'derived', conflict: requires, other: running }));
      index = last + 1;
    }
    return result;
  }
}

function minCore(universe: Universe, index: number, metadata: PackageMetadata): string | undefined {
  if (metadata.minCoreVersion === undefined) return undefined;
  const parsed = semver.valid(semver.clean(metadata.minCoreVersion) ?? metadata.minCoreVersion);
  if (parsed) return parsed;
  throw new ProvisioningError(
    'INVALID_MIN_CORE_VERSION',
    `${universe.name} ${universe.versions[index]} declares an invalid minimum provisioning version "${metadata.minCoreVersion}"`,
    { kind: 'input', hint: 'Set min_provisioning_version to a semver version such as 3.5.0.' },
  );
}

/** A version that depends on its own package only forbids the versions outside that range. */
function selfDependency(depender: Term, target: Term): Incompatibility | undefined {
  const forbidden = depender.intersect(target);
  return forbidden.versions.isEmpty() ? undefined : new Incompatibility([forbidden], { kind: 'dependency' });
}

interface RangeRun {
  first: number;
  last: number;
  range: string;
}

/** Maximal runs of adjacent versions that depend on `dependency` with the very same range. */
function sameRangeRuns(metadata: readonly PackageMetadata[], dependency: string): RangeRun[] {
  const runs: RangeRun[] = [];
  metadata.forEach((entry, index) => {
    const range = entry.dependencies?.[dependency];
    if (range === undefined) return;
    const last = runs[runs.length - 1];
    if (last && last.last === index - 1 && last.range === range) last.last = index;
    else runs.push({ first: index, last: index, range });
  });
  return runs;
}

function* range(first: number, last: number): Iterable<number> {
  for (let index = first; index <= last; index++) yield index;
}
