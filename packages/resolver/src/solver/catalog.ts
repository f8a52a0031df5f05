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
  /** The dependency incompatibilities that cover one version (built on first use). */
  dependencyIncompatibilities(index: number): Promise<readonly Incompatibility[]>;
  /** The same, when already built (lets the solver skip an await on its hot path). */
  builtDependencyIncompatibilities(index: number): readonly Incompatibility[] | undefined;
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
    if (!this.facts.has(name)) this.load(name).catch(() => {});
  }

  load(name: string): Promise<PackageFacts> {
    let facts = this.facts.get(name);
    if (!facts) {
      facts = this.readFacts(name).then((loaded) => {
        this.readyFacts.set(name, loaded);
        return loaded;
      });
      this.facts.set(name, facts);
    }
    return facts;
  }

  /** Facts that have finished loading, without waiting. */
  ready(name: string): PackageFacts | undefined {
    return this.readyFacts.get(name);
  }

  private readonly readyFacts = new Map<string, PackageFacts>();

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
      universe.versions.map((_, index) => this.source.metadata(name, universe.publishedAs(index))),
    );
    const byVersion = new Map<number, Promise<Incompatibility[]>>();
    const built = new Map<number, Incompatibility[]>();
    const byRun = new Map<string, Promise<Incompatibility | undefined>>();

    // One incompatibility per run of adjacent versions sharing a dependency range, built when a
    // version of the run is first considered and shared by every version of the run.
    const runIncompatibility = (dependency: string, index: number): Promise<Incompatibility | undefined> => {
      const run = sameRangeRun(metadata, dependency, index);
      const key = `${dependency}\u0000${run.first}`;
      let incompatibility = byRun.get(key);
      if (!incompatibility) {
        incompatibility = (async () => {
          const depender = new Term(name, true, VersionSet.of(universe.size, range(run.first, run.last)));
          const target = await this.dependencyTerm(
            dependency,
            run.range,
            `${name} ${universe.versions[index]}`,
          );
          if (dependency === name) return selfDependency(depender, target);
          return this.dependencyIncompatibility(depender, target, { kind: 'dependency' });
        })();
        byRun.set(key, incompatibility);
      }
      return incompatibility;
    };

    return {
      universe,
      metadata,
      dependencyIncompatibilities: (index) => {
        let list = byVersion.get(index);
        if (!list) {
          const names = Object.keys(metadata[index]!.dependencies ?? {}).sort();
          list = Promise.all(names.map((dependency) => runIncompatibility(dependency, index))).then((all) => {
            const present = all.filter((item): item is Incompatibility => item !== undefined);
            built.set(index, present);
            return present;
          });
          byVersion.set(index, list);
        }
        return list;
      },
      builtDependencyIncompatibilities: (index) => built.get(index),
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

/** The maximal run of adjacent versions around `index` that depend on `dependency` with the same range. */
function sameRangeRun(metadata: readonly PackageMetadata[], dependency: string, index: number): RangeRun {
  const range = metadata[index]!.dependencies[dependency]!;
  const same = (at: number) => metadata[at]?.dependencies?.[dependency] === range;
  let first = index;
  let last = index;
  while (first > 0 && same(first - 1)) first--;
  while (last + 1 < metadata.length && same(last + 1)) last++;
  return { first, last, range };
}

function* range(first: number, last: number): Iterable<number> {
  for (let index = first; index <= last; index++) yield index;
}
