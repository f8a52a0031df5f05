import fc from 'fast-check';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { InMemorySource, type InMemoryVersion, SolveError, solve, updateOne } from '../src/index.js';

type Universe = Record<string, Record<string, InMemoryVersion>>;

const NAMES = ['a', 'b', 'c', 'd', 'e'];
const VERSIONS = ['1.0.0', '1.1.0', '2.0.0-rc.1', '2.0.0', '2.1.0', '3.0.0'];
const RANGES = [
  '*',
  '^1.0.0',
  '^2.0.0',
  '>=1.1.0',
  '<2.0.0',
  '1.0.0',
  '~2.1.0',
  '>=2.0.0-rc.1 <3.0.0',
  '^4.0.0',
];
const CORE = '3.5.0';

const versionArbitrary = fc.record({
  dependencies: fc.dictionary(
    fc.oneof(
      { weight: 19, arbitrary: fc.constantFrom(...NAMES) },
      { weight: 1, arbitrary: fc.constant('ghost') },
    ),
    fc.oneof(
      { weight: 3, arbitrary: fc.constant('*') },
      { weight: 2, arbitrary: fc.constantFrom(...RANGES) },
    ),
    { maxKeys: 2 },
  ),
  minCoreVersion: fc.constantFrom(undefined, undefined, undefined, '3.0.0', '4.0.0'),
});

const universeArbitrary = fc
  .uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 5 })
  .chain((names) =>
    fc.tuple(
      ...names.map((name) =>
        fc
          .uniqueArray(fc.constantFrom(...VERSIONS), { minLength: 1, maxLength: 4 })
          .chain((versions) =>
            fc.tuple(...versions.map((version) => fc.tuple(fc.constant(version), versionArbitrary))),
          )
          .map((entries) => [name, Object.fromEntries(entries)] as const),
      ),
    ),
  );

const caseArbitrary = universeArbitrary.chain((universe) =>
  fc.record({
    universe: fc.constant(universe),
    // Mostly packages that exist, so both outcomes are common.
    root: fc.dictionary(
      fc.oneof(
        { weight: 9, arbitrary: fc.constantFrom(...universe.map(([name]) => name)) },
        { weight: 1, arbitrary: fc.constantFrom(...NAMES) },
      ),
      fc.constantFrom(...RANGES),
      { minKeys: 1, maxKeys: 3 },
    ),
    useCore: fc.boolean(),
    locked: fc.dictionary(fc.constantFrom(...NAMES), fc.constantFrom(...VERSIONS), { maxKeys: 3 }),
  }),
);

function withoutUndefined(version: InMemoryVersion): InMemoryVersion {
  return version.minCoreVersion === undefined ? { dependencies: version.dependencies } : version;
}

/** Why a selection is not a valid solution, or undefined when it is. */
function violation(
  universe: Universe,
  root: Record<string, string>,
  core: string | undefined,
  selection: Map<string, string>,
): string | undefined {
  const check = (dependent: string, deps: Record<string, string>): string | undefined => {
    for (const [name, range] of Object.entries(deps)) {
      const chosen = selection.get(name);
      if (chosen === undefined) return `${dependent} needs ${name} ${range}, none selected`;
      if (!semver.satisfies(chosen, range)) return `${dependent} needs ${name} ${range}, got ${chosen}`;
    }
    return undefined;
  };
  const rootProblem = check('root', root);
  if (rootProblem) return rootProblem;
  for (const [name, version] of selection) {
    const entry = universe[name]?.[version];
    if (!entry) return `${name} ${version} does not exist`;
    if (core !== undefined && entry.minCoreVersion !== undefined && semver.lt(core, entry.minCoreVersion)) {
      return `${name} ${version} needs core ${entry.minCoreVersion}`;
    }
    const problem = check(`${name} ${version}`, entry.dependencies ?? {});
    if (problem) return problem;
  }
  return undefined;
}

/** Brute force over every choice of "absent or one version" per package. */
function someSolutionExists(
  universe: Universe,
  root: Record<string, string>,
  core: string | undefined,
): boolean {
  const names = Object.keys(universe);
  const selection = new Map<string, string>();
  const search = (position: number): boolean => {
    if (position === names.length) return violation(universe, root, core, selection) === undefined;
    const name = names[position]!;
    if (search(position + 1)) return true;
    for (const version of Object.keys(universe[name]!)) {
      selection.set(name, version);
      if (search(position + 1)) return true;
      selection.delete(name);
    }
    return false;
  };
  return search(0);
}

function reachable(
  universe: Universe,
  root: Record<string, string>,
  selection: Map<string, string>,
): Set<string> {
  const seen = new Set<string>();
  const pending = Object.keys(root);
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    pending.push(...Object.keys(universe[name]?.[selection.get(name)!]?.dependencies ?? {}));
  }
  return seen;
}

describe('solver properties on small random graphs', () => {
  it('every solution satisfies every constraint, and every failure is real', async () => {
    const outcomes = { solved: 0, failed: 0 };
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async ({ universe: entries, root, useCore, locked }) => {
        const universe: Universe = Object.fromEntries(
          entries.map(([name, versions]) => [
            name,
            Object.fromEntries(Object.entries(versions).map(([v, entry]) => [v, withoutUndefined(entry)])),
          ]),
        );
        const core = useCore ? CORE : undefined;
        const source = new InMemorySource(universe);
        let selection: Map<string, string> | undefined;
        try {
          selection = (await solve({ root, source, coreVersion: core, locked })).versions;
        } catch (error) {
          if (!(error instanceof SolveError)) throw error;
          expect(error.explanation).toMatch(/version solving failed\.$/);
          expect(someSolutionExists(universe, root, core)).toBe(false);
          outcomes.failed++;
          return;
        }
        expect(violation(universe, root, core, selection)).toBeUndefined();
        // Nothing selected that no requirement leads to.
        expect([...selection.keys()].sort()).toEqual([...reachable(universe, root, selection)].sort());
        outcomes.solved++;
      }),
      { numRuns: 400, seed: 20261127 },
    );
    // The generator must exercise both outcomes for the property to mean anything.
    expect(outcomes.solved).toBeGreaterThan(40);
    expect(outcomes.failed).toBeGreaterThan(40);
  });

  it('a locked version that still fits is kept', async () => {
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async ({ universe: entries, root, locked }) => {
        const universe: Universe = Object.fromEntries(
          entries.map(([name, versions]) => [
            name,
            Object.fromEntries(Object.entries(versions).map(([v, entry]) => [v, withoutUndefined(entry)])),
          ]),
        );
        const source = new InMemorySource(universe);
        let first: Map<string, string>;
        try {
          first = (await solve({ root, source })).versions;
        } catch {
          return;
        }
        // Re-solving with the previous result as lock file reproduces it exactly.
        const again = (await solve({ root, source, locked: { ...locked, ...Object.fromEntries(first) } }))
          .versions;
        expect(again).toEqual(first);
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it('updateOne returns a valid solution and reports exactly what moved', async () => {
    let updated = 0;
    await fc.assert(
      fc.asyncProperty(caseArbitrary, fc.nat(), async ({ universe: entries, root }, pick) => {
        const universe: Universe = Object.fromEntries(
          entries.map(([name, versions]) => [
            name,
            Object.fromEntries(Object.entries(versions).map(([v, entry]) => [v, withoutUndefined(entry)])),
          ]),
        );
        const source = new InMemorySource(universe);
        let locked: Record<string, string>;
        try {
          locked = Object.fromEntries((await solve({ root, source })).versions);
        } catch {
          return;
        }
        const names = Object.keys(locked).sort();
        const name = names[pick % names.length]!;
        const result = await updateOne({ root, source, locked, name });
        expect(violation(universe, root, undefined, result.versions)).toBeUndefined();
        // `changes` is exactly the difference between the lock and the new solution.
        const changed = new Map(result.changes.map((change) => [change.name, change]));
        for (const pkg of new Set([...Object.keys(locked), ...result.versions.keys()])) {
          const change = changed.get(pkg);
          if (change) {
            expect([change.from, change.to]).toEqual([locked[pkg], result.versions.get(pkg)]);
            expect(change.from).not.toBe(change.to);
          } else {
            expect(result.versions.get(pkg)).toBe(locked[pkg]);
          }
        }
        updated++;
      }),
      { numRuns: 150, seed: 7 },
    );
    expect(updated).toBeGreaterThan(20);
  });
});
