import { ProvisioningError } from '@provisioning/schemas';
import { describe, expect, it } from 'vitest';
import { failure, packages, solved } from './helpers.js';

// The worked examples of Dart pub's doc/solver.md and the PubGrub README, run through our solver.
describe('pub solver.md examples', () => {
  it('no conflicts: picks the version the partial solution allows, not the newest', async () => {
    const pkgs = packages({ 'foo 1.0.0': { bar: '^1.0.0' }, 'bar 1.0.0': {}, 'bar 2.0.0': {} });
    expect(await solved(pkgs, { foo: '^1.0.0' })).toEqual({ foo: '1.0.0', bar: '1.0.0' });
  });

  it('avoiding a conflict during decision making', async () => {
    const pkgs = packages({
      'foo 1.0.0': {},
      'foo 1.1.0': { bar: '^2.0.0' },
      'bar 1.0.0': {},
      'bar 1.1.0': {},
      'bar 2.0.0': {},
    });
    expect(await solved(pkgs, { foo: '^1.0.0', bar: '^1.0.0' })).toEqual({ foo: '1.0.0', bar: '1.1.0' });
  });

  it('performing conflict resolution', async () => {
    const pkgs = packages({
      'foo 1.0.0': {},
      'foo 2.0.0': { bar: '^1.0.0' },
      'bar 1.0.0': { foo: '^1.0.0' },
    });
    expect(await solved(pkgs, { foo: '>=1.0.0' })).toEqual({ foo: '1.0.0' });
  });

  it('conflict resolution with a partial satisfier', async () => {
    const pkgs = packages({
      'foo 1.0.0': {},
      'foo 1.1.0': { left: '^1.0.0', right: '^1.0.0' },
      'left 1.0.0': { shared: '>=1.0.0' },
      'right 1.0.0': { shared: '<2.0.0' },
      'shared 2.0.0': {},
      'shared 1.0.0': { target: '^1.0.0' },
      'target 2.0.0': {},
      'target 1.0.0': {},
    });
    expect(await solved(pkgs, { foo: '^1.0.0', target: '^2.0.0' })).toEqual({
      foo: '1.0.0',
      target: '2.0.0',
    });
  });

  it('linear error reporting', async () => {
    const pkgs = packages({
      'foo 1.0.0': { bar: '^2.0.0' },
      'bar 2.0.0': { baz: '^3.0.0' },
      'baz 1.0.0': {},
      'baz 3.0.0': {},
    });
    const error = await failure(pkgs, { foo: '^1.0.0', baz: '^1.0.0' });
    expect(error.explanation).toBe(
      [
        'Because every version of foo depends on bar ^2.0.0 which depends on baz ^3.0.0, every version of foo requires baz ^3.0.0.',
        'So, because root depends on both baz ^1.0.0 and foo ^1.0.0, version solving failed.',
      ].join('\n'),
    );
    expect(error).toBeInstanceOf(ProvisioningError);
    expect(error.code).toBe('RESOLUTION_FAILED');
    expect(error.kind).toBe('input');
    expect(error.message).toBe('version solving failed');
    expect(error.hint).toMatch(/relax the ranges/);
    expect(error.details.explanation).toBe(error.explanation);
  });

  it('branching error reporting numbers only the reused line', async () => {
    const pkgs = packages({
      'foo 1.0.0': { a: '^1.0.0', b: '^1.0.0' },
      'foo 1.1.0': { x: '^1.0.0', y: '^1.0.0' },
      'a 1.0.0': { b: '^2.0.0' },
      'b 1.0.0': {},
      'b 2.0.0': {},
      'x 1.0.0': { y: '^2.0.0' },
      'y 1.0.0': {},
      'y 2.0.0': {},
    });
    const error = await failure(pkgs, { foo: '^1.0.0' });
    expect(error.explanation).toBe(
      [
        '    Because foo 1.0.0 depends on a ^1.0.0 which depends on b ^2.0.0, foo 1.0.0 requires b ^2.0.0.',
        '(1) So, because foo 1.0.0 depends on b ^1.0.0, foo 1.0.0 is forbidden.',
        '',
        '    Because foo 1.1.0 depends on x ^1.0.0 which depends on y ^2.0.0, foo 1.1.0 requires y ^2.0.0.',
        '    And because foo 1.1.0 depends on y ^1.0.0, foo 1.1.0 is forbidden.',
        '    And because foo 1.0.0 is forbidden (1), every version of foo is forbidden.',
        '    So, because root depends on foo ^1.0.0, version solving failed.',
      ].join('\n'),
    );
  });
});

describe('PubGrub README example', () => {
  it('explains why menu cannot be used, merging depender ranges over the versions that exist', async () => {
    const menu: Record<string, Record<string, string>> = { 'menu 1.0.0': { dropdown: '>=1.0.0 <2.0.0' } };
    for (const minor of [1, 2, 3, 4, 5]) menu[`menu 1.${minor}.0`] = { dropdown: '>=2.0.0' };
    const pkgs = packages({
      ...menu,
      'dropdown 1.8.0': { intl: '<4.0.0' },
      'dropdown 2.0.0': { icons: '>=2.0.0' },
      'dropdown 2.1.0': { icons: '>=2.0.0' },
      'dropdown 2.2.0': { icons: '>=2.0.0' },
      'dropdown 2.3.0': { icons: '>=2.0.0' },
      'icons 1.0.0': {},
      'icons 2.0.0': {},
      'intl 3.0.0': {},
      'intl 4.0.0': {},
      'intl 5.0.0': {},
    });
    const error = await failure(pkgs, { menu: '>=1.0.0', icons: '<2.0.0', intl: '>=5.0.0' });
    expect(error.explanation).toBe(
      [
        'Because menu 1.0.0 depends on dropdown >=1.0.0 <2.0.0 which depends on intl <4.0.0, menu 1.0.0 requires intl <4.0.0.',
        'And because menu >=1.1.0 depends on dropdown >=2.0.0, every version of menu requires intl <4.0.0 or dropdown >=2.0.0.',
        'And because dropdown >=2.0.0 depends on icons >=2.0.0 and root depends on icons <2.0.0, every version of menu requires intl <4.0.0.',
        'So, because root depends on both intl >=5.0.0 and menu >=1.0.0, version solving failed.',
      ].join('\n'),
    );
  });
});

describe('missing packages and versions', () => {
  it('says when a dependency does not exist', async () => {
    const error = await failure(packages({ 'foo 1.0.0': { nope: '^1.0.0' } }), { foo: '*' });
    expect(error.explanation).toBe(
      [
        "Because every version of foo depends on nope ^1.0.0 which doesn't exist, every version of foo is forbidden.",
        'So, because root depends on foo *, version solving failed.',
      ].join('\n'),
    );
  });

  it('says when no version matches a range', async () => {
    const error = await failure(packages({ 'foo 1.0.0': { bar: '>=2.0.0' }, 'bar 1.0.0': {} }), { foo: '*' });
    expect(error.explanation).toBe(
      [
        "Because every version of foo depends on bar >=2.0.0 which doesn't match any versions (published: 1.0.0), every version of foo is forbidden.",
        'So, because root depends on foo *, version solving failed.',
      ].join('\n'),
    );
  });

  it('lists the newest published versions when none matches, the way cargo names candidates', async () => {
    const versions = ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '1.4.0', '1.5.0', '1.6.0'];
    const pkgs = packages(Object.fromEntries(versions.map((v) => [`bar ${v}`, {}])));
    const error = await failure(pkgs, { bar: '9.9.9' });
    expect(error.explanation).toContain(
      "bar 9.9.9 which doesn't match any versions (published: 1.6.0, 1.5.0, 1.4.0, 1.3.0, 1.2.0, and 2 older)",
    );
  });

  it('explains a root requirement nothing can satisfy in one line, with the default workspace name', async () => {
    const { InMemorySource, SolveError, solve } = await import('../src/index.js');
    const source = new InMemorySource(packages({ 'kubernetes 1.28.0': {} }));
    const error = await solve({ root: { kubernetes: '^2.0.0' }, source }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SolveError);
    expect((error as InstanceType<typeof SolveError>).explanation).toBe(
      "Because your workspace depends on kubernetes ^2.0.0 which doesn't match any versions (published: 1.28.0), version solving failed.",
    );
  });

  it('rejects an invalid range with the package that declared it', async () => {
    const error = await failure(packages({ 'foo 1.0.0': { bar: 'not a range' }, 'bar 1.0.0': {} }), {
      foo: '*',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisioningError);
    expect((error as ProvisioningError).code).toBe('INVALID_RANGE');
    expect((error as ProvisioningError).message).toBe(
      'foo 1.0.0 requires bar with invalid range "not a range"',
    );
  });
});

describe('workspace requirements', () => {
  it('reject an invalid range naming the workspace', async () => {
    const { InMemorySource, solve } = await import('../src/index.js');
    const source = new InMemorySource(packages({ 'redis 1.0.0': {} }));
    const error = await solve({ root: { redis: '>>1' }, source }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_RANGE', kind: 'input' });
    expect((error as Error).message).toBe('your workspace requires redis with invalid range ">>1"');
  });

  it('with no requirements solve to nothing', async () => {
    expect(await solved(packages({ 'redis 1.0.0': {} }), {})).toEqual({});
  });
});

describe('explanation layout', () => {
  // foo has two versions that fail for independent reasons, one short and one long to explain.
  const branches = (longOn: string, shortOn: string) =>
    packages({
      [`foo ${longOn}`]: { a: '^1.0.0', e: '^1.0.0' },
      [`foo ${shortOn}`]: { x: '^1.0.0', y: '^1.0.0' },
      'a 1.0.0': { b: '^1.0.0' },
      'b 1.0.0': { c: '^1.0.0' },
      'c 1.0.0': { d: '^1.0.0' },
      'd 1.0.0': { e: '^2.0.0' },
      'e 1.0.0': {},
      'e 2.0.0': {},
      'x 1.0.0': { y: '^2.0.0' },
      'y 1.0.0': {},
      'y 2.0.0': {},
    });

  it('explains the shorter branch first, whichever version it belongs to', async () => {
    for (const [longOn, shortOn] of [
      ['1.0.0', '1.1.0'],
      ['1.1.0', '1.0.0'],
    ] as const) {
      const { explanation } = await failure(branches(longOn, shortOn), { foo: '^1.0.0' });
      expect(explanation).toBe(
        [
          `    Because foo ${shortOn} depends on x ^1.0.0 which depends on y ^2.0.0, foo ${shortOn} requires y ^2.0.0.`,
          `(1) So, because foo ${shortOn} depends on y ^1.0.0, foo ${shortOn} is forbidden.`,
          '',
          '    Because every version of a depends on b ^1.0.0 which depends on c ^1.0.0, every version of a requires c ^1.0.0.',
          '    And because every version of c depends on d ^1.0.0 which depends on e ^2.0.0, every version of a requires e ^2.0.0.',
          `    And because foo ${longOn} depends on both a ^1.0.0 and e ^1.0.0, foo ${longOn} is forbidden.`,
          `    And because foo ${shortOn} is forbidden (1), every version of foo is forbidden.`,
          '    So, because root depends on foo ^1.0.0, version solving failed.',
        ].join('\n'),
      );
    }
  });
});
