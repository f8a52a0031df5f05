import { ROOT } from './root.js';
import type { Term } from './term.js';

/**
 * Why an incompatibility holds. External causes are facts about packages; `derived` ones were
 * learned by conflict resolution from two earlier incompatibilities and form the derivation graph
 * that the failure explanation walks.
 */
export type IncompatibilityCause =
  | { kind: 'root' }
  | { kind: 'dependency' }
  | { kind: 'request' }
  | { kind: 'no-versions' }
  | { kind: 'unknown-package' }
  | { kind: 'core-requires'; required: string }
  | { kind: 'core-running'; running: string }
  | { kind: 'derived'; conflict: Incompatibility; other: Incompatibility };

/**
 * A set of terms that must not all be true at once. At most one term per package; a term that is
 * always true is dropped because it adds nothing.
 */
export class Incompatibility {
  readonly terms: readonly Term[];

  constructor(
    terms: readonly Term[],
    readonly cause: IncompatibilityCause,
  ) {
    this.terms = cause.kind === 'derived' ? mergeTerms(terms) : terms;
  }

  isDerived(): this is Incompatibility & { cause: { kind: 'derived' } } {
    return this.cause.kind === 'derived';
  }
}

/**
 * Intersects terms that refer to the same package and drops the ones that are always true,
 * including "the workspace is selected" next to other terms (as pub does: it reads better).
 */
function mergeTerms(terms: readonly Term[]): Term[] {
  const byName = new Map<string, Term>();
  for (const term of terms) {
    const previous = byName.get(term.name);
    byName.set(term.name, previous ? previous.intersect(term) : term);
  }
  const merged = [...byName.values()].filter((term) => !term.isAny());
  if (merged.length <= 1) return merged;
  return merged.filter((term) => !(term.name === ROOT && term.positive));
}
