import semver from 'semver';
import { VersionSet } from './version-set.js';

/**
 * The versions of one package that really exist, sorted ascending. Every version set of the
 * package is a bitset over this list, and ranges are evaluated against it once and memoised.
 */
export class Universe {
  readonly versions: readonly string[];
  private readonly parsed: readonly semver.SemVer[];
  private readonly positions = new Map<string, number>();
  /** Normalised version → the string the source published (`v1.2.0` stays `v1.2.0` when asked back). */
  private readonly published = new Map<string, string>();
  private readonly rangeSets = new Map<string, VersionSet | null>();

  constructor(
    readonly name: string,
    published: readonly string[],
  ) {
    const unique = new Map<string, semver.SemVer>();
    for (const version of published) {
      const parsed = parseVersion(version);
      if (parsed && !unique.has(parsed.version)) {
        unique.set(parsed.version, parsed);
        this.published.set(parsed.version, version);
      }
    }
    this.parsed = [...unique.values()].sort((a, b) => a.compare(b));
    this.versions = this.parsed.map((version) => version.version);
    for (const [index, version] of this.versions.entries()) this.positions.set(version, index);
  }

  /** The version string as the source spelled it, for calls back into the source. */
  publishedAs(index: number): string {
    const version = this.versions[index]!;
    return this.published.get(version) ?? version;
  }

  get size(): number {
    return this.versions.length;
  }

  indexOf(version: string): number {
    const normalised = semver.valid(version);
    return normalised === null ? -1 : (this.positions.get(normalised) ?? -1);
  }

  all(): VersionSet {
    return VersionSet.full(this.size);
  }

  only(index: number): VersionSet {
    return VersionSet.of(this.size, [index]);
  }

  /**
   * Versions matching an npm range with npm's prerelease rule (a prerelease matches only when a
   * comparator names a prerelease on the same major.minor.patch). `null` when the range is invalid.
   */
  matching(range: string): VersionSet | null {
    let set = this.rangeSets.get(range);
    if (set === undefined) {
      const parsed = validRange(range);
      set = parsed
        ? VersionSet.of(
            this.size,
            this.parsed.flatMap((version, index) => (parsed.test(version) ? [index] : [])),
          )
        : null;
      this.rangeSets.set(range, set);
    }
    return set;
  }
}

function parseVersion(version: string): semver.SemVer | null {
  try {
    return new semver.SemVer(version);
  } catch {
    return null;
  }
}

function validRange(range: string): semver.Range | null {
  try {
    return new semver.Range(range);
  } catch {
    return null;
  }
}
