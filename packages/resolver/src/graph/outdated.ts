import semver from 'semver';
import type { PackageSource } from '../source.js';
import type { DependencyGraph } from './dependency-graph.js';

export interface OutdatedRow {
  name: string;
  /** Selected version in the graph. */
  current: string;
  /** Highest version allowed by every range that applies today (the workspace's and each dependent's). */
  wanted: string;
  /** Highest published version (stable unless only prereleases exist). */
  latest: string;
  /** Set when `latest` needs a newer core than the running one: its `min_provisioning_version`. */
  latestRequiresCore?: string;
  /** Whether the workspace itself requires the package. */
  direct: boolean;
}

export interface OutdatedOptions {
  /** Running core version: versions that need a newer core do not count as `wanted`. */
  coreVersion?: string;
}

/**
 * Packages of the graph with a newer version available, sorted by name. `wanted` is what
 * re-resolving within the current ranges could reach; `latest` may need a range change.
 */
export async function outdated(
  graph: DependencyGraph,
  source: PackageSource,
  root: Record<string, string>,
  options: OutdatedOptions = {},
): Promise<OutdatedRow[]> {
  const ranges = new Map<string, string[]>();
  const addRange = (name: string, range: string) => ranges.set(name, [...(ranges.get(name) ?? []), range]);
  for (const [name, range] of Object.entries(root)) addRange(name, range);
  for (const node of graph.nodes.values())
    for (const edge of node.dependencies) addRange(edge.name, edge.range);

  const rows = await Promise.all(
    [...graph.nodes.values()].map(async (node): Promise<OutdatedRow | undefined> => {
      const spelled = new Map<string, string>();
      for (const tag of await source.versions(node.name)) {
        const version = semver.valid(tag);
        if (version && !spelled.has(version)) spelled.set(version, tag);
      }
      const published = [...spelled.keys()].sort(semver.rcompare);
      const applying = ranges.get(node.name) ?? [];
      let wanted = node.version;
      for (const version of published) {
        if (semver.lte(version, node.version)) break;
        if (!applying.every((range) => semver.satisfies(version, range))) continue;
        if (!(await runsOnCore(source, node.name, spelled.get(version)!, options.coreVersion))) continue;
        wanted = version;
        break;
      }
      const latest =
        published.find((version) => semver.prerelease(version) === null) ?? published[0] ?? node.version;
      const newest = semver.gt(latest, node.version) ? latest : node.version;
      if (wanted === node.version && newest === node.version) return undefined;
      const row: OutdatedRow = {
        name: node.name,
        current: node.version,
        wanted,
        latest: newest,
        direct: Object.hasOwn(root, node.name),
      };
      const needs =
        newest === wanted ? undefined : await coreNeeded(source, node.name, spelled.get(newest), options);
      if (needs !== undefined) row.latestRequiresCore = needs;
      return row;
    }),
  );
  return rows
    .filter((row): row is OutdatedRow => row !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function runsOnCore(source: PackageSource, name: string, version: string, core: string | undefined) {
  return (await coreNeeded(source, name, version, { coreVersion: core })) === undefined;
}

/** The core version `version` needs when the running core is older, else undefined. */
async function coreNeeded(
  source: PackageSource,
  name: string,
  version: string | undefined,
  options: OutdatedOptions,
): Promise<string | undefined> {
  if (options.coreVersion === undefined || version === undefined) return undefined;
  const { minCoreVersion } = await source.metadata(name, version);
  if (minCoreVersion === undefined) return undefined;
  const needed = semver.clean(minCoreVersion) ?? minCoreVersion;
  return semver.lt(options.coreVersion, needed) ? needed : undefined;
}
