import type { Catalog } from './catalog.js';
import { Incompatibility } from './incompatibility.js';
import { PartialSolution } from './partial-solution.js';
import { ROOT, ROOT_VERSION } from './root.js';
import { Term } from './term.js';
import { Universe } from './universe.js';

export interface PubGrubInput {
  catalog: Catalog;
  /** Workspace name used in error messages. */
  rootName: string;
  root: Record<string, string>;
  /** Extra requirements of this run (an update request), explained as such. */
  requests: Record<string, string>;
  locked: Record<string, string>;
  unlock: ReadonlySet<string>;
  /** Packages decided before any other (the one being updated). */
  first: ReadonlySet<string>;
}

/** Thrown inside the solver when the root itself is proven impossible. */
export class NoSolution {
  constructor(readonly incompatibility: Incompatibility) {}
}

type IncompatibilityRelation =
  | { kind: 'satisfied' }
  | { kind: 'contradicted' }
  | { kind: 'inconclusive' }
  | { kind: 'almost'; term: Term };

const SATISFIED: IncompatibilityRelation = { kind: 'satisfied' };
const CONTRADICTED: IncompatibilityRelation = { kind: 'contradicted' };
const INCONCLUSIVE: IncompatibilityRelation = { kind: 'inconclusive' };

/**
 * The PubGrub algorithm (Dart pub doc/solver.md): unit propagation over incompatibilities,
 * decisions preferring the locked or highest version of the most constrained package, and
 * conflict-driven backjumping that learns the root cause of each conflict.
 */
export class PubGrub {
  private readonly solution: PartialSolution;
  private readonly byPackage = new Map<string, Incompatibility[]>();
  private readonly added = new Set<Incompatibility>();

  constructor(private readonly input: PubGrubInput) {
    this.solution = new PartialSolution(input.first);
  }

  /** Returns the chosen version of every selected package (root excluded). */
  async run(): Promise<Map<string, string>> {
    const { catalog } = this.input;
    // Ask for the versions of every direct requirement at once rather than one after another.
    await Promise.all(
      [...Object.keys(this.input.root), ...Object.keys(this.input.requests)].map((name) =>
        catalog.universe(name),
      ),
    );
    const rootUniverse = new Universe(ROOT, [ROOT_VERSION]);
    this.solution.register(rootUniverse);
    const rootTerm = new Term(ROOT, true, rootUniverse.all());
    for (const [requirements, kind] of [
      [this.input.root, 'root'],
      [this.input.requests, 'request'],
    ] as const) {
      for (const name of Object.keys(requirements).sort()) {
        const target = await catalog.dependencyTerm(name, requirements[name]!, this.input.rootName);
        await this.addExternal(await catalog.dependencyIncompatibility(rootTerm, target, { kind }));
      }
    }
    this.solution.decide(ROOT, 0);
    let next: string | undefined = ROOT;
    while (next !== undefined) {
      this.propagate(next);
      next = await this.decideNext();
    }
    const versions = new Map<string, string>();
    for (const [name, index] of this.solution.decisions()) {
      if (name !== ROOT) versions.set(name, this.solution.universeOf(name).versions[index]!);
    }
    return versions;
  }

  private async addExternal(incompatibility: Incompatibility): Promise<void> {
    for (const term of incompatibility.terms) {
      if (!this.solution.isRegistered(term.name)) {
        this.solution.register(await this.input.catalog.universe(term.name));
      }
      // A dependency's versions are about to become candidates: start reading their metadata.
      if (!term.positive && term.name !== ROOT) {
        const current = this.solution.current(term.name);
        const likely = current?.positive ? term.versions.intersect(current.versions) : term.versions;
        this.input.catalog.prefetch(this.solution.universeOf(term.name), likely);
      }
    }
    this.add(incompatibility);
  }

  private add(incompatibility: Incompatibility): void {
    if (this.added.has(incompatibility)) return;
    this.added.add(incompatibility);
    for (const term of incompatibility.terms) {
      let list = this.byPackage.get(term.name);
      if (!list) {
        list = [];
        this.byPackage.set(term.name, list);
      }
      list.push(incompatibility);
    }
  }

  private propagate(start: string): void {
    const changed = new Set<string>([start]);
    while (changed.size > 0) {
      const name: string = changed.values().next().value!;
      changed.delete(name);
      const incompatibilities = this.byPackage.get(name) ?? [];
      // Newest first: learned incompatibilities are the most general ones.
      for (let i = incompatibilities.length - 1; i >= 0; i--) {
        const incompatibility = incompatibilities[i]!;
        const relation = this.relation(incompatibility);
        if (relation.kind === 'satisfied') {
          const rootCause = this.resolveConflict(incompatibility);
          const after = this.relation(rootCause);
          if (after.kind !== 'almost')
            throw new Error('internal: learned incompatibility is not almost satisfied');
          this.solution.derive(after.term.negate(), rootCause);
          changed.clear();
          changed.add(after.term.name);
          break;
        }
        if (relation.kind === 'almost') {
          this.solution.derive(relation.term.negate(), incompatibility);
          changed.add(relation.term.name);
        }
      }
    }
  }

  private relation(incompatibility: Incompatibility): IncompatibilityRelation {
    let unsatisfied: Term | undefined;
    for (const term of incompatibility.terms) {
      const relation = this.solution.relation(term);
      if (relation === 'contradicted') return CONTRADICTED;
      if (relation === 'inconclusive') {
        if (unsatisfied) return INCONCLUSIVE;
        unsatisfied = term;
      }
    }
    return unsatisfied ? { kind: 'almost', term: unsatisfied } : SATISFIED;
  }

  private resolveConflict(conflict: Incompatibility): Incompatibility {
    let incompatibility = conflict;
    for (;;) {
      if (isTerminal(incompatibility)) throw new NoSolution(incompatibility);

      let satisfier: ReturnType<PartialSolution['satisfierOf']>;
      let satisfierTerm: Term | undefined;
      const satisfiers = incompatibility.terms.map((term) => {
        const found = this.solution.satisfierOf(term);
        if (!found) throw new Error('internal: conflict term is not satisfied');
        return found;
      });
      incompatibility.terms.forEach((term, i) => {
        const candidate = satisfiers[i]!;
        if (!satisfier || candidate.index > satisfier.index) {
          satisfier = candidate;
          satisfierTerm = term;
        }
      });
      if (!satisfier || !satisfierTerm) throw new Error('internal: empty conflict');

      let previousIndex = -1;
      incompatibility.terms.forEach((term, i) => {
        if (term !== satisfierTerm) previousIndex = Math.max(previousIndex, satisfiers[i]!.index);
      });
      const previous = this.solution.previousSatisfierOf(satisfierTerm, satisfier);
      if (previous) previousIndex = Math.max(previousIndex, previous.index);
      const previousLevel = previousIndex >= 0 ? this.solution.assignments[previousIndex]!.level : 0;

      if (satisfier.cause === undefined || previousLevel !== satisfier.level) {
        if (incompatibility !== conflict) this.add(incompatibility);
        this.solution.backtrack(previousLevel);
        return incompatibility;
      }

      const cause: Incompatibility = satisfier.cause;
      const name = satisfier.name;
      const terms = [
        ...incompatibility.terms.filter((term) => term.name !== name),
        ...cause.terms.filter((term) => term.name !== name),
      ];
      if (!satisfier.term.satisfies(satisfierTerm)) {
        terms.push(satisfier.term.intersect(satisfierTerm.negate()).negate());
      }
      incompatibility = new Incompatibility(terms, {
        kind: 'derived',
        conflict: incompatibility,
        other: cause,
      });
    }
  }

  /** Chooses the next package and version; returns the package to propagate from, or undefined when done. */
  private async decideNext(): Promise<string | undefined> {
    const choice = this.solution.nextUndecided();
    if (!choice) return undefined;
    const { name, current } = choice;
    const { catalog } = this.input;
    const universe = this.solution.universeOf(name);
    const candidates = current.versions;
    if (!catalog.hasMetadata(universe, candidates)) await catalog.loadMetadata(universe, candidates);

    const unavailable = catalog.coreIncompatibilities(universe, candidates);
    if (unavailable.length > 0) {
      for (const incompatibility of unavailable) this.add(incompatibility);
      return name;
    }

    const index = this.preferredVersion(name, current);
    if (index < 0) throw new Error(`internal: no candidate version left for ${name}`);

    let conflict = false;
    const dependencies =
      catalog.builtDependencyIncompatibilities(universe, index) ??
      (await catalog.dependencyIncompatibilities(universe, index, candidates));
    for (const incompatibility of dependencies) {
      if (!this.added.has(incompatibility)) await this.addExternal(incompatibility);
      // Deciding would satisfy this incompatibility at once: let propagation exclude the version.
      const satisfiedByDecision = incompatibility.terms.every((term) =>
        term.name === name
          ? term.positive === term.versions.has(index)
          : this.solution.relation(term) === 'satisfied',
      );
      if (satisfiedByDecision) {
        conflict = true;
      }
    }
    if (!conflict) this.solution.decide(name, index);
    return name;
  }

  private preferredVersion(name: string, current: Term): number {
    const allowed = current.versions;
    const locked = this.input.locked[name];
    if (locked !== undefined && !this.input.unlock.has(name)) {
      const index = this.solution.universeOf(name).indexOf(locked);
      if (index >= 0 && allowed.has(index)) return index;
    }
    return allowed.highest();
  }
}

function isTerminal(incompatibility: Incompatibility): boolean {
  const { terms } = incompatibility;
  return terms.length === 0 || (terms.length === 1 && terms[0]!.name === ROOT && terms[0]!.positive);
}
