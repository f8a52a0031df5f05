/** Facts about one published version, as the solver needs them. */
export interface PackageMetadata {
  /** Dependency name → npm semver range. */
  dependencies: Record<string, string>;
  /** Lowest provisioning (core) version this version runs on. */
  minCoreVersion?: string;
}

/**
 * Where the solver learns which versions exist and what they depend on. Implement it over a
 * registry, a lockfile or a map; the solver calls it lazily, in parallel, and at most once per
 * package and per version.
 */
export interface PackageSource {
  /** All published versions (semver strings, no leading v) of `name`; [] if unknown. */
  versions(name: string): Promise<string[]>;
  /** Dependencies (name → npm semver range) and the minimum core version of one version. */
  metadata(name: string, version: string): Promise<PackageMetadata>;
}

export interface InMemoryVersion {
  dependencies?: Record<string, string>;
  minCoreVersion?: string;
}

/** A source backed by a plain object: `{ name: { version: { dependencies, minCoreVersion } } }`. */
export class InMemorySource implements PackageSource {
  constructor(private readonly packages: Record<string, Record<string, InMemoryVersion>>) {}

  async versions(name: string): Promise<string[]> {
    const versions = Object.hasOwn(this.packages, name) ? this.packages[name] : undefined;
    return versions ? Object.keys(versions) : [];
  }

  async metadata(name: string, version: string): Promise<PackageMetadata> {
    const entry = Object.hasOwn(this.packages, name) ? this.packages[name]?.[version] : undefined;
    if (!entry) throw new Error(`${name} ${version} is not in this in-memory source`);
    // The solver never mutates metadata, so the caller's objects are handed out as they are.
    if (entry.dependencies && entry.minCoreVersion === undefined) return entry as PackageMetadata;
    const metadata: PackageMetadata = { dependencies: entry.dependencies ?? {} };
    if (entry.minCoreVersion !== undefined) metadata.minCoreVersion = entry.minCoreVersion;
    return metadata;
  }
}
