import { MinHeap } from './heap.js';
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
  /** Stamp of this package's newest entry in the frontier heap; older entries are stale. */
  stamp: number;
}

interface FrontierEntry {
  state: PackageState;
  /** -1 for packages decided first, else the number of versions still allowed. */
  rank: number;
  stamp: number;
}

export type Relation = 'satisfied' | 'contradicted' | 'inconclusive';

/**
 * PubGrub's partial solution: the ordered assignments (decisions and derivations) with their
 * decision levels, plus per package the running intersection so relations are O(1) bitset work.
 */
export class PartialSolution {
  readonly assignments: Assignment[] = [];
  private readonly packages = new Map<string, PackageState>();
  /** Packages whose current term is positive but that have no decision: the decision frontier. */
  private readonly pending = new Set<string>();
  private readonly frontier = new MinHeap<FrontierEntry>((a, b) =>
    a.rank === b.rank ? a.stamp < b.stamp : a.rank < b.rank,
  );
  private stamps = 0;
  level = 0;

  /** @param first packages to decide before any other (the one being updated). */
  constructor(private readonly first: ReadonlySet<string> = new Set()) {}

  register(universe: Universe): void {
    if (!this.packages.has(universe.name)) {
      this.packages.set(universe.name, {
        universe,
        assignments: [],
        current: undefined,
        decided: undefined,
        stamp: 0,
      });
    }
  }

  isRegistered(name: string): boolean {
    return this.packages.has(name);
  }

  universeOf(name: string): Universe {
    return this.state(name).universe;
  }

  decide(name: string, versionIndex: number): void {
    const state = this.state(name);
    if (this.assignments.length > 0) this.level++;
    state.decided = versionIndex;
    this.pending.delete(name);
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
    this.refresh(state);
  }

  /** Keeps the decision frontier and the candidate count of one package in step with `current`. */
  private refresh(state: PackageState): void {
    const name = state.universe.name;
    if (state.current?.positive && state.decided === undefined) {
      state.stamp = ++this.stamps;
      const rank = this.first.has(name) ? -1 : state.current.versions.count();
      this.frontier.push({ state, rank, stamp: state.stamp });
      this.pending.add(name);
    } else {
      this.pending.delete(name);
    }
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
      this.refresh(state);
    }
    this.level = level;
  }

  current(name: string): Term | undefined {
    return this.packages.get(name)?.current;
  }

  relation(term: Term): Relation {
    const current = this.packages.get(term.name)?.current;
    if (!current) return term.isAny() ? 'satisfied' : term.isNothing() ? 'contradicted' : 'inconclusive';
    if (current.satisfies(term)) return 'satisfied';
    if (current.isDisjointFrom(term)) return 'contradicted';
    return 'inconclusive';
  }

  /**
   * The next package to decide: one that must be selected but has no version yet, preferring
   * `first`, then the fewest remaining candidates (conflicts surface sooner), then the one whose
   * constraints changed least recently. A heap with lazily dropped stale entries keeps this cheap.
   */
  nextUndecided(): { name: string; current: Term } | undefined {
    for (;;) {
      const entry = this.frontier.peek();
      if (!entry) return undefined;
      const { state } = entry;
      if (entry.stamp === state.stamp && this.pending.has(state.universe.name)) {
        return { name: state.universe.name, current: state.current! };
      }
      this.frontier.pop();
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
