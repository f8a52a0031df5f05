import type { Incompatibility } from './incompatibility.js';
import { ROOT } from './root.js';
import type { Term } from './term.js';
import type { Universe } from './universe.js';

/**
 * Turns terms and incompatibilities into the English of Dart pub's solver messages. Version sets
 * are shown as the range a user wrote when it is still exact, otherwise merged against the
 * versions that exist: "every version of foo", "foo 1.0.0", "foo >=1.1.0 <2.0.0".
 */
export const DEFAULT_CORE_NAME = 'provisioning';

/** How many existing versions a "no versions match" line lists. */
const PUBLISHED_SHOWN = 5;

export class Describer {
  constructor(
    private readonly rootName: string,
    private readonly universeOf: (name: string) => Universe | undefined,
    /** The core's display name: "you are running provisioning 3.5.0". */
    private readonly coreName = DEFAULT_CORE_NAME,
  ) {}

  /** A term without its polarity: "foo ^1.0.0", "every version of foo", "your workspace". */
  terse(term: Term, allowEvery = false): string {
    if (term.name === ROOT) return this.rootName;
    if (term.label !== undefined) return `${term.name} ${term.label}`;
    const universe = this.universeOf(term.name);
    if (!universe || term.versions.isFull()) return allowEvery ? `every version of ${term.name}` : term.name;
    return `${term.name} ${this.versions(term)}`;
  }

  /** The version set of a term as an npm range over existing versions. */
  versions(term: Term): string {
    if (term.label !== undefined) return term.label;
    const universe = this.universeOf(term.name);
    if (!universe) return '*';
    const { versions } = universe;
    if (term.versions.isEmpty()) return '<none>';
    if (term.versions.isFull()) return '*';
    return term.versions
      .runs()
      .map(([first, last]) => {
        if (first === last) return versions[first]!;
        const lower = first === 0 ? '' : `>=${versions[first]}`;
        const upper = last === versions.length - 1 ? '' : `<${versions[last + 1]}`;
        return [lower, upper].filter(Boolean).join(' ');
      })
      .join(' || ');
  }

  /** " (published: 1.29.0, 1.28.0)": what exists, newest first, the way cargo lists candidates. */
  private published(name: string): string {
    const versions = this.universeOf(name)?.versions ?? [];
    if (versions.length === 0) return ' (none published)';
    const newest = versions.slice(-PUBLISHED_SHOWN).reverse().join(', ');
    const more = versions.length > PUBLISHED_SHOWN ? `, and ${versions.length - PUBLISHED_SHOWN} older` : '';
    return ` (published: ${newest}${more})`;
  }

  incompatibility(incompatibility: Incompatibility): string {
    const { cause, terms } = incompatibility;
    const [first, second] = terms;
    switch (cause.kind) {
      case 'root':
      case 'dependency':
        if (terms.length === 2) return `${this.terse(first!, true)} depends on ${this.terse(second!)}`;
        break;
      case 'request':
        return `you asked for ${this.terse(second!)}`;
      case 'no-versions':
        return `no versions of ${first!.name} match ${this.versions(first!)}${this.published(first!.name)}`;
      case 'unknown-package':
        return `${first!.name} doesn't exist`;
      case 'core-requires':
        return `${this.terse(first!, true)} requires ${this.coreName} ${cause.required}`;
      case 'core-running':
        return `you are running ${this.coreName} ${cause.running}`;
      default:
        break;
    }
    if (isFailure(incompatibility)) return 'version solving failed';

    if (terms.length === 1) {
      const term = first!;
      if (term.positive) return `${this.terse(term, true)} is forbidden`;
      return `${this.terse(term)} is required`;
    }
    if (terms.length === 2 && first!.positive === second!.positive) {
      if (first!.positive) return `${this.terse(first!)} is incompatible with ${this.terse(second!)}`;
      return `either ${this.terse(first!)} or ${this.terse(second!)}`;
    }
    const positive = terms.filter((term) => term.positive);
    const negative = terms.filter((term) => !term.positive);
    const negatives = negative.map((term) => this.terse(term)).join(' or ');
    if (positive.length > 0 && negative.length > 0) {
      if (positive.length === 1) return `${this.terse(positive[0]!, true)} requires ${negatives}`;
      return `if ${positive.map((term) => this.terse(term)).join(' and ')} then ${negatives}`;
    }
    if (positive.length > 0)
      return `one of ${positive.map((term) => this.terse(term)).join(' or ')} must be false`;
    return `one of ${negatives} must be true`;
  }

  /** "A and B", merged into one phrase when the two facts chain or share a depender. */
  and(self: Incompatibility, other: Incompatibility, selfLine?: number, otherLine?: number): string {
    const combined =
      this.requiresBoth(self, other, selfLine, otherLine) ??
      this.requiresThrough(self, other, selfLine, otherLine) ??
      this.requiresForbidden(self, other, selfLine, otherLine);
    if (combined) return combined;
    return `${this.incompatibility(self)}${ref(selfLine)} and ${this.incompatibility(other)}${ref(otherLine)}`;
  }

  /** "foo depends on both bar ^1.0.0 and baz ^2.0.0". */
  private requiresBoth(self: Incompatibility, other: Incompatibility, selfLine?: number, otherLine?: number) {
    if (!combinable(self) || !combinable(other)) return undefined;
    if (self.terms.length === 1 || other.terms.length === 1) return undefined;
    const selfPositive = single(self, true);
    const otherPositive = single(other, true);
    if (!selfPositive || !otherPositive || !selfPositive.equals(otherPositive)) return undefined;
    const verb = isDependency(self) && isDependency(other) ? 'depends on' : 'requires';
    const selfNegatives = self.terms.filter((term) => !term.positive).map((term) => this.terse(term));
    const otherNegatives = other.terms.filter((term) => !term.positive).map((term) => this.terse(term));
    return (
      `${this.terse(selfPositive, true)} ${verb} both ${selfNegatives.join(' or ')}${ref(selfLine)}` +
      ` and ${otherNegatives.join(' or ')}${ref(otherLine)}`
    );
  }

  /** "foo depends on bar ^1.0.0 which depends on baz ^2.0.0". */
  private requiresThrough(
    self: Incompatibility,
    other: Incompatibility,
    selfLine?: number,
    otherLine?: number,
  ) {
    if (!combinable(self) || !combinable(other)) return undefined;
    if (self.terms.length === 1 || other.terms.length === 1) return undefined;
    const selfNegative = single(self, false);
    const otherNegative = single(other, false);
    const selfPositive = single(self, true);
    const otherPositive = single(other, true);
    let prior: Incompatibility;
    let priorNegative: Term;
    let priorLine: number | undefined;
    let latter: Incompatibility;
    let latterLine: number | undefined;
    if (selfNegative && otherPositive && leadsTo(selfNegative, otherPositive)) {
      [prior, priorNegative, priorLine, latter, latterLine] = [
        self,
        selfNegative,
        selfLine,
        other,
        otherLine,
      ];
    } else if (otherNegative && selfPositive && leadsTo(otherNegative, selfPositive)) {
      [prior, priorNegative, priorLine, latter, latterLine] = [
        other,
        otherNegative,
        otherLine,
        self,
        selfLine,
      ];
    } else {
      return undefined;
    }
    const latterNegatives = latter.terms.filter((term) => !term.positive).map((term) => this.terse(term));
    return (
      `${this.dependerPhrase(prior)} ${this.terse(priorNegative)}${ref(priorLine)}` +
      ` which ${isDependency(latter) ? 'depends on' : 'requires'} ${latterNegatives.join(' or ')}${ref(latterLine)}`
    );
  }

  /** "foo depends on bar ^2.0.0 which doesn't match any versions". */
  private requiresForbidden(
    self: Incompatibility,
    other: Incompatibility,
    selfLine?: number,
    otherLine?: number,
  ) {
    if (self.terms.length !== 1 && other.terms.length !== 1) return undefined;
    const [prior, priorLine, latter, latterLine] =
      self.terms.length === 1 ? [other, otherLine, self, selfLine] : [self, selfLine, other, otherLine];
    if (!combinable(prior) || latter.cause.kind === 'core-requires' || latter.cause.kind === 'core-running') {
      return undefined;
    }
    const negative = single(prior, false);
    const forbidden = latter.terms[0];
    if (!negative || !forbidden || !leadsTo(negative, forbidden)) return undefined;
    const outcome =
      latter.cause.kind === 'no-versions'
        ? `doesn't match any versions${this.published(forbidden.name)}`
        : latter.cause.kind === 'unknown-package'
          ? "doesn't exist"
          : 'is forbidden';
    return `${this.dependerPhrase(prior)} ${this.terse(negative)}${ref(priorLine)} which ${outcome}${ref(latterLine)}`;
  }

  /** "foo >=1.0.0 depends on" / "if a and b then". */
  private dependerPhrase(prior: Incompatibility): string {
    const positives = prior.terms.filter((term) => term.positive);
    if (positives.length !== 1) return `if ${positives.map((term) => this.terse(term)).join(' or ')} then`;
    return `${this.terse(positives[0]!, true)} ${isDependency(prior) ? 'depends on' : 'requires'}`;
  }
}

export function isFailure(incompatibility: Incompatibility): boolean {
  const { terms } = incompatibility;
  return terms.length === 0 || (terms.length === 1 && terms[0]!.name === ROOT && terms[0]!.positive);
}

function ref(line: number | undefined): string {
  return line === undefined ? '' : ` (${line})`;
}

function isDependency(incompatibility: Incompatibility): boolean {
  return incompatibility.cause.kind === 'dependency' || incompatibility.cause.kind === 'root';
}

/** Causes whose wording is fixed and must not be merged into "depends on … which …" phrases. */
function combinable(incompatibility: Incompatibility): boolean {
  const { kind } = incompatibility.cause;
  return (
    kind !== 'request' && kind !== 'core-requires' && kind !== 'core-running' && !isFailure(incompatibility)
  );
}

function single(incompatibility: Incompatibility, positive: boolean): Term | undefined {
  const matching = incompatibility.terms.filter((term) => term.positive === positive);
  return matching.length === 1 ? matching[0] : undefined;
}

/** The negative term of one fact names versions that the positive term of the next covers. */
function leadsTo(negative: Term, positive: Term): boolean {
  return negative.name === positive.name && negative.negate().satisfies(positive);
}
