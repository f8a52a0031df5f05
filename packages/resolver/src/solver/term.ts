import type { VersionSet } from './version-set.js';

/**
 * A statement about one package (PubGrub "term"). Positive: the package is selected with a version
 * in `versions`. Negative: the package is not selected, or selected with a version outside
 * `versions`. `label` keeps the range text a user wrote (`^1.2.0`) for as long as the set it
 * denotes is unchanged, so explanations quote people instead of bit patterns.
 */
export class Term {
  constructor(
    readonly name: string,
    readonly positive: boolean,
    readonly versions: VersionSet,
    readonly label?: string,
  ) {}

  /** The term that is true exactly when this one is false. */
  negate(): Term {
    return new Term(this.name, !this.positive, this.versions, this.label);
  }

  intersect(other: Term): Term {
    const a = this.versions;
    const b = other.versions;
    if (this.positive && other.positive) return this.withSet(true, a.intersect(b), other);
    if (this.positive) return this.withSet(true, a.minus(b), other);
    if (other.positive) return other.withSet(true, b.minus(a), this);
    return this.withSet(false, a.union(b), other);
  }

  union(other: Term): Term {
    return this.negate().intersect(other.negate()).negate();
  }

  /** True when every selection that makes this term true also makes `other` true. */
  satisfies(other: Term): boolean {
    const a = this.versions;
    const b = other.versions;
    if (this.positive && other.positive) return a.isSubsetOf(b);
    if (this.positive) return a.isDisjointFrom(b);
    if (other.positive) return false; // "not selected" satisfies this term but never `other`
    return b.isSubsetOf(a);
  }

  /** True when no selection makes both terms true. */
  isDisjointFrom(other: Term): boolean {
    const a = this.versions;
    const b = other.versions;
    if (this.positive && other.positive) return a.isDisjointFrom(b);
    if (this.positive) return a.isSubsetOf(b);
    if (other.positive) return b.isSubsetOf(a);
    return false; // both allow "not selected"
  }

  /** A term that is always true ("anything, including not selected"). */
  isAny(): boolean {
    return !this.positive && this.versions.isEmpty();
  }

  /** A term that can never be true. */
  isNothing(): boolean {
    return this.positive && this.versions.isEmpty();
  }

  equals(other: Term): boolean {
    return (
      this.name === other.name && this.positive === other.positive && this.versions.equals(other.versions)
    );
  }

  private withSet(positive: boolean, versions: VersionSet, other: Term): Term {
    const label =
      positive === this.positive && versions.equals(this.versions)
        ? this.label
        : positive === other.positive && versions.equals(other.versions)
          ? other.label
          : undefined;
    return new Term(this.name, positive, versions, label);
  }
}
