import semver from 'semver';
import { ResolverError } from '../resolver-error.js';
import type { PackageMetadata, PackageSource } from '../source.js';
import { Incompatibility } from './incompatibility.js';
import { Term } from './term.js';
import { Universe } from './universe.js';
import { VersionSet } from './version-set.js';

/** Per package: metadata read so far and the incompatibilities built from it. */
interface PackageRecord {
  universe: Universe;
  metadata: Map<number, Promise<PackageMetadata>>;
  loaded: Map<number, PackageMetadata>;
  dependencies: Map<number, Promise<Incompatibility[]>>;
  builtDependencies: Map<number, Incompatibility[]>;
  runs: Map<string, Promise<Incompatibility | undefined>>;
  /** Versions already checked against the core version. */
  coreChecked: VersionSet;
}

/**
 * Everything the solver reads from the PackageSource, asked once and cached. Metadata is read
 * only for the versions the solver may still pick (its current candidates, in parallel), and
 * turned into incompatibilities whose version ranges are merged over adjacent candidates with the
 * same dependency (as Dart pub does), so explanations read "foo >=2.0.0 depends on bar ^1.0.0"
 * rather than listing versions one by one.
 */
export class Catalog {
  private readonly universes = new Map<string, Promise<Universe>>();
  private readonly known = new Map<string, Universe>();
  private readonly records = new Map<string, PackageRecord>();

  constructor(
    private readonly source: PackageSource,
    private readonly coreVersion: string | undefined,
  ) {}

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

  /** Starts reading the metadata of `versions` of a package in the background. */
  prefetch(universe: Universe, versions: VersionSet): void {
    this.loadMetadata(universe, versions).catch(() => {});
  }

  /** Reads the metadata of every version in `versions` (in parallel, each version once). */
  loadMetadata(universe: Universe, versions: VersionSet): Promise<unknown> {
    const record = this.record(universe);
    const pending: Promise<PackageMetadata>[] = [];
    for (const index of versions.indices()) {
      if (!record.loaded.has(index)) pending.push(this.metadata(universe, index));
    }
    return pending.length === 0 ? Promise.resolve() : Promise.all(pending);
  }

  /** True when every version in `versions` already has its metadata (no await needed). */
  hasMetadata(universe: Universe, versions: VersionSet): boolean {
    const { loaded } = this.record(universe);
    for (const index of versions.indices()) if (!loaded.has(index)) return false;
    return true;
  }

  metadata(universe: Universe, index: number): Promise<PackageMetadata> {
    const record = this.record(universe);
    let metadata = record.metadata.get(index);
    if (!metadata) {
      metadata = this.source.metadata(universe.name, universe.publishedAs(index)).then((entry) => {
        record.loaded.set(index, entry);
        return entry;
      });
      record.metadata.set(index, metadata);
    }
    return metadata;
  }

  /**
   * Versions among `candidates` (metadata loaded) that cannot run on the current core and were
   * not reported before: one incompatibility per group of adjacent versions with the same minimum.
   */
  coreIncompatibilities(universe: Universe, candidates: VersionSet): Incompatibility[] {
    const core = this.coreVersion;
    const record = this.record(universe);
    const unchecked = candidates.minus(record.coreChecked);
    if (core === undefined || unchecked.isEmpty()) return [];
    record.coreChecked = record.coreChecked.union(unchecked);
    const result: Incompatibility[] = [];
    for (const [first, last] of unchecked.runs()) {
      let index = first;
      while (index <= last) {
        const required = minCore(universe, index, record.loaded.get(index)!);
        if (required === undefined || !semver.lt(core, required)) {
          index++;
          continue;
        }
        let end = index;
        while (end < last && minCore(universe, end + 1, record.loaded.get(end + 1)!) === required) end++;
        const versions = new Term(universe.name, true, VersionSet.of(universe.size, range(index, end)));
        const requires = new Incompatibility([versions], {
          kind: 'core-requires',
          required: `>=${required}`,
        });
        const running = new Incompatibility([], { kind: 'core-running', running: core });
        result.push(new Incompatibility([versions], { kind: 'derived', conflict: requires, other: running }));
        index = end + 1;
      }
    }
    return result;
  }

  /** Dependency incompatibilities of one version, once built (lets the hot path skip an await). */
  builtDependencyIncompatibilities(
    universe: Universe,
    index: number,
  ): readonly Incompatibility[] | undefined {
    return this.record(universe).builtDependencies.get(index);
  }

  /**
   * The dependency incompatibilities of version `index`, each covering the run of adjacent
   * versions among `candidates` (whose metadata is loaded) that ask for the same range.
   */
  dependencyIncompatibilities(
    universe: Universe,
    index: number,
    candidates: VersionSet,
  ): Promise<readonly Incompatibility[]> {
    const record = this.record(universe);
    let list = record.dependencies.get(index);
    if (!list) {
      const names = Object.keys(record.loaded.get(index)!.dependencies ?? {}).sort();
      list = Promise.all(
        names.map((dependency) => this.runIncompatibility(record, dependency, index, candidates)),
      ).then((all) => {
        const present = all.filter((item): item is Incompatibility => item !== undefined);
        record.builtDependencies.set(index, present);
        return present;
      });
      record.dependencies.set(index, list);
    }
    return list;
  }

  /** Builds the term "dependency `name` within `range`", failing on a range semver can't parse. */
  async dependencyTerm(name: string, range: string, requiredBy: string): Promise<Term> {
    const universe = await this.universe(name);
    const versions = universe.matching(range);
    if (!versions) {
      throw new ResolverError(
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

  private runIncompatibility(
    record: PackageRecord,
    dependency: string,
    index: number,
    candidates: VersionSet,
  ): Promise<Incompatibility | undefined> {
    const { universe } = record;
    const run = sameRangeRun(record, dependency, index, candidates);
    const key = `${dependency}\u0000${run.first}\u0000${run.last}`;
    let incompatibility = record.runs.get(key);
    if (!incompatibility) {
      incompatibility = (async () => {
        const depender = new Term(
          universe.name,
          true,
          VersionSet.of(universe.size, range(run.first, run.last)),
        );
        const target = await this.dependencyTerm(
          dependency,
          run.range,
          `${universe.name} ${universe.versions[index]}`,
        );
        if (dependency === universe.name) return selfDependency(depender, target);
        return this.dependencyIncompatibility(depender, target, { kind: 'dependency' });
      })();
      record.runs.set(key, incompatibility);
    }
    return incompatibility;
  }

  private record(universe: Universe): PackageRecord {
    let record = this.records.get(universe.name);
    if (!record) {
      record = {
        universe,
        metadata: new Map(),
        loaded: new Map(),
        dependencies: new Map(),
        builtDependencies: new Map(),
        runs: new Map(),
        coreChecked: VersionSet.empty(universe.size),
      };
      this.records.set(universe.name, record);
    }
    return record;
  }
}

function minCore(universe: Universe, index: number, metadata: PackageMetadata): string | undefined {
  if (metadata.minCoreVersion === undefined) return undefined;
  const parsed = semver.valid(semver.clean(metadata.minCoreVersion) ?? metadata.minCoreVersion);
  if (parsed) return parsed;
  throw new ResolverError(
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

/**
 * The maximal run of adjacent versions around `index`, all among `candidates` (loaded), that
 * depend on `dependency` with the same range.
 */
function sameRangeRun(
  record: PackageRecord,
  dependency: string,
  index: number,
  candidates: VersionSet,
): RangeRun {
  const range = record.loaded.get(index)!.dependencies[dependency]!;
  const same = (at: number) =>
    candidates.has(at) && record.loaded.get(at)?.dependencies?.[dependency] === range;
  let first = index;
  let last = index;
  while (first > 0 && same(first - 1)) first--;
  while (last + 1 < record.universe.size && same(last + 1)) last++;
  return { first, last, range };
}

function* range(first: number, last: number): Iterable<number> {
  for (let index = first; index <= last; index++) yield index;
}
