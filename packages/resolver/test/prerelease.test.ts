import { describe, expect, it } from 'vitest';
import { failure, packages, solved } from './helpers.js';

// npm semantics: a prerelease is only eligible when a comparator of the range names a prerelease
// on the same major.minor.patch tuple.
const pkgs = packages({
  'app 1.0.0': {},
  'app 1.1.0-beta.1': {},
  'app 1.1.0': {},
  'app 1.2.0-rc.1': {},
  'app 2.0.0-rc.1': {},
  'edge 3.0.0-alpha.1': {},
});

describe('prerelease versions', () => {
  it('are skipped by ranges that do not name a prerelease, even when newer', async () => {
    expect(await solved(pkgs, { app: '^1.0.0' })).toEqual({ app: '1.1.0' });
    expect(await solved(pkgs, { app: '*' })).toEqual({ app: '1.1.0' });
  });

  it('are chosen when the range names a prerelease on the same tuple', async () => {
    expect(await solved(pkgs, { app: '>=2.0.0-rc.1' })).toEqual({ app: '2.0.0-rc.1' });
    expect(await solved(pkgs, { app: '~1.2.0-rc.1' })).toEqual({ app: '1.2.0-rc.1' });
    expect(await solved(pkgs, { app: '1.1.0-beta.1' })).toEqual({ app: '1.1.0-beta.1' });
  });

  it('on another tuple stay excluded: ^1.1.0-beta.1 takes 1.1.0, never 1.2.0-rc.1', async () => {
    expect(await solved(pkgs, { app: '^1.1.0-beta.1' })).toEqual({ app: '1.1.0' });
  });

  it('a package with only prereleases does not match a plain range, and says so', async () => {
    const error = await failure(pkgs, { edge: '*' });
    expect(error.explanation).toBe(
      "Because root depends on edge * which doesn't match any versions (published: 3.0.0-alpha.1), version solving failed.",
    );
    expect(await solved(pkgs, { edge: '>=3.0.0-alpha.0' })).toEqual({ edge: '3.0.0-alpha.1' });
  });
});
