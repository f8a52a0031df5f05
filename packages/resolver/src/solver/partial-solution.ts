import type { Incompatibility } from './incompatibility.js';
import { Term } from './term.js';
import type { Universe } from './universe.js';

export interface Assignment {
  readonly name: string;
  readonly term: Term;
  readonly level: number;
  /** Position in the assignment list. */
  readonly index: number;
  /** Set for derivations: the incompatibility that forced this term. Absent for decisions. */
  readonly cause: Incompatibility | undefined;
}

interface PackageState {
  readonly universe: Universe;
  readonly assignments: Assignment[];
  /** Intersection of all assignments of this package (undefined: none yet). */
  current: Term | undefined;
  /** Index of the decided version, if any. */
  decided: number | undefined;
}

export type Relation = 'satisfied' | 'contradicted' | 'inconclusive';

/**
 * PubGrub's partial solution: the ordered assignments (decisions and derivations) with their
 * decision levels, plus per package the running intersection so relations are O(1) bitset work.
 */
export class PartialSolution {
  readonly assignments: Assignment[] = [];
  private readonly packages = new Map<string, PackageState>();
  level = 0;

  register(universe: Universe): void {
    if (!this.packages.has(universe.name)) {
      this.packages.set(universe.name, { universe, assignments: [], current: undefined, decided: undefined });
    }
  }

  universeOf(name: string): Universe {
    return this.state(name).universe;
  }

  decide(name: string, versionIndex: number): void {
    const state = this.state(name);
    if (this.assignments.length > 0) this.level++;
    state.decided = versionIndex;
    this.assign(name, new Term(name, true, state.universe.only(versionIndex)), undefined);
  }

  derive(term: Term, cause: Incompatibility): void {
    this.assign(term.name, term, cause);
  }

  private assign(name: string, term: Term, cause: Incompatibility | undefined): void {
    const state = this.state(name);
    const assignment: Assignment = { name, term, level: this.level, index: this.assignments.length, cause };
    this.assignments.push(assignment);
    state.assignments.push(assignment);
    state.current = state.current ? state.current.intersect(term) : term;
  }

  /** Removes every assignment above `level`. */
  backtrack(level: number): void {
    const touched = new Set<PackageState>();
    while (this.assignments.length > 0 && this.assignments[this.assignments.length - 1]!.level > level) {
      const assignment = this.assignments.pop()!;
      const state = this.state(assignment.name);
      state.assignments.pop();
      if (assignment.cause === undefined) state.decided = undefined;
      touched.add(state);
    }
    for (const state of touched) {
      state.current = undefined;
      for (const assignment of state.assignments) {
        state.current = state.current ? state.current.intersect(assignment.term) : assignment.term;
      }
    }
    this.level = level;
  }

  current(name: string): Term | undefined {
    return this.packages.get(name)?.current;
  }

  decidedIndex(name: string): number | undefined {
    return this.packages.get(name)?.decided;
  }

  relation(term: Term): Relation {
    const current = this.packages.get(term.name)?.current;
    if (!current) return term.isAny() ? 'satisfied' : term.isNothing() ? 'contradicted' : 'inconclusive';
    if (current.satisfies(term)) return 'satisfied';
    if (current.isDisjointFrom(term)) return 'contradicted';
    return 'inconclusive';
  }

  /** Packages that must be selected but have no decided version yet. */
  *undecided(): IterableIterator<{ name: string; current: Term }> {
    for (const [name, state] of this.packages) {
      if (state.decided === undefined && state.current?.positive) yield { name, current: state.current };
    }
  }

  /** Decided versions by package name. */
  decisions(): Map<string, number> {
    const result = new Map<string, number>();
    for (const [name, state] of this.packages)
      if (state.decided !== undefined) result.set(name, state.decided);
    return result;
  }

  /** Earliest assignment of `term.name` after which the package's assignments satisfy `term`. */
  satisfierOf(term: Term): Assignment | undefined {
    return this.firstSatisfying(term, undefined, Number.POSITIVE_INFINITY);
  }

  /**
   * Earliest assignment of the satisfier's package, before the satisfier, after which those
   * assignments together with the satisfier satisfy `term` (undefined: the satisfier alone does).
   */
  previousSatisfierOf(term: Term, satisfier: Assignment): Assignment | undefined {
    if (satisfier.term.satisfies(term)) return undefined;
    return this.firstSatisfying(term, satisfier.term, satisfier.index);
  }

  private firstSatisfying(term: Term, start: Term | undefined, before: number): Assignment | undefined {
    let accumulated = start;
    for (const assignment of this.state(term.name).assignments) {
      if (assignment.index >= before) break;
      accumulated = accumulated ? accumulated.intersect(assignment.term) : assignment.term;
      if (accumulated.satisfies(term)) return assignment;
    }
    return undefined;
  }

  private state(name: string): PackageState {
    const state = this.packages.get(name);
    if (!state) throw new Error(`internal: package ${name} was never registered`);
    return state;
  }
}
