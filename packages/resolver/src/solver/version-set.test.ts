import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Term } from './term.js';
import { VersionSet } from './version-set.js';

// Bitset operations checked against plain JavaScript sets, across word boundaries (70 versions).
const SIZE = 70;
const indices = fc.uniqueArray(fc.integer({ min: 0, max: SIZE - 1 }), { maxLength: SIZE });
const toSet = (values: number[]) => new Set(values);
const listed = (set: VersionSet) => [...set.indices()];
const sorted = (values: Iterable<number>) => [...values].sort((a, b) => a - b);

describe('VersionSet', () => {
  it('agrees with Set semantics for every operation', () => {
    fc.assert(
      fc.property(indices, indices, (a, b) => {
        const x = VersionSet.of(SIZE, a);
        const y = VersionSet.of(SIZE, b);
        const sa = toSet(a);
        const sb = toSet(b);
        expect(listed(x.intersect(y))).toEqual(sorted(a.filter((i) => sb.has(i))));
        expect(listed(x.union(y))).toEqual(sorted(new Set([...a, ...b])));
        expect(listed(x.minus(y))).toEqual(sorted(a.filter((i) => !sb.has(i))));
        expect(x.complement().count()).toBe(SIZE - sa.size);
        expect(x.isSubsetOf(y)).toBe(a.every((i) => sb.has(i)));
        expect(x.isDisjointFrom(y)).toBe(a.every((i) => !sb.has(i)));
        expect(x.equals(y)).toBe(sa.size === sb.size && a.every((i) => sb.has(i)));
        expect(x.count()).toBe(sa.size);
        expect(x.highest()).toBe(a.length === 0 ? -1 : Math.max(...a));
        expect(x.isEmpty()).toBe(a.length === 0);
      }),
    );
  });

  it('keeps bits beyond the size clear and reports runs', () => {
    expect(VersionSet.full(33).count()).toBe(33);
    expect(VersionSet.full(32).complement().isEmpty()).toBe(true);
    expect(VersionSet.empty(0).complement().isEmpty()).toBe(true);
    expect(VersionSet.of(70, [0, 1, 2, 31, 32, 33, 69]).runs()).toEqual([
      [0, 2],
      [31, 33],
      [69, 69],
    ]);
  });
});

describe('Term', () => {
  // A term denotes a set of "worlds": versions 0..SIZE-1 selected, or -1 for "not selected".
  const worlds = (term: Term) => {
    const result = new Set<number>();
    for (let i = -1; i < SIZE; i++) {
      const inSet = i >= 0 && term.versions.has(i);
      if (term.positive ? inSet : !inSet) result.add(i);
    }
    return result;
  };
  const term = fc
    .tuple(fc.boolean(), indices)
    .map(([positive, a]) => new Term('p', positive, VersionSet.of(SIZE, a)));

  it('intersection, union, satisfies and disjointness match the worlds they denote', () => {
    fc.assert(
      fc.property(term, term, (t, u) => {
        const wt = worlds(t);
        const wu = worlds(u);
        expect(sorted(worlds(t.intersect(u)))).toEqual(sorted([...wt].filter((w) => wu.has(w))));
        expect(sorted(worlds(t.union(u)))).toEqual(sorted(new Set([...wt, ...wu])));
        expect(t.satisfies(u)).toBe([...wt].every((w) => wu.has(w)));
        expect(t.isDisjointFrom(u)).toBe([...wt].every((w) => !wu.has(w)));
        expect(sorted(worlds(t.negate()))).toEqual(
          sorted([...Array(SIZE + 1).keys()].map((k) => k - 1).filter((w) => !wt.has(w))),
        );
      }),
    );
  });

  it('keeps a label only while the set it names is unchanged', () => {
    const caret = new Term('p', false, VersionSet.of(SIZE, [1, 2]), '^1.0.0');
    expect(caret.negate().label).toBe('^1.0.0');
    expect(caret.intersect(new Term('p', false, VersionSet.of(SIZE, [2]))).label).toBe('^1.0.0');
    expect(caret.intersect(new Term('p', false, VersionSet.of(SIZE, [3]))).label).toBeUndefined();
  });
});
