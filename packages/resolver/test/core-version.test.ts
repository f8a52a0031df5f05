import { ProvisioningError } from '@provisioning/schemas';
import { describe, expect, it } from 'vitest';
import { InMemorySource, type SolveError, solve } from '../src/index.js';

const kubernetes = {
  '1.28.0': {},
  '1.29.0': { minCoreVersion: '4.0.0' },
  '1.30.0': { minCoreVersion: '4.0.0' },
};

async function solveError(promise: Promise<unknown>): Promise<SolveError> {
  const error = await promise.then(
    () => {
      throw new Error('expected failure');
    },
    (e: unknown) => e,
  );
  expect((error as ProvisioningError).code).toBe('RESOLUTION_FAILED');
  return error as SolveError;
}

describe('core version as a solver input', () => {
  it('skips versions that need a newer core and chooses an older one', async () => {
    const source = new InMemorySource({ kubernetes });
    const solution = await solve({ root: { kubernetes: '^1.28.0' }, source, coreVersion: '3.5.0' });
    expect(solution.versions.get('kubernetes')).toBe('1.28.0');
  });

  it('uses the newest version when the core is new enough, and ignores minCoreVersion without a core', async () => {
    const source = new InMemorySource({ kubernetes });
    expect((await solve({ root: { kubernetes: '^1.28.0' }, source, coreVersion: '4.0.0' })).versions).toEqual(
      new Map([['kubernetes', '1.30.0']]),
    );
    expect((await solve({ root: { kubernetes: '^1.28.0' }, source })).versions.get('kubernetes')).toBe(
      '1.30.0',
    );
  });

  it('names the core when no version fits', async () => {
    const source = new InMemorySource({ kubernetes });
    const error = await solveError(solve({ root: { kubernetes: '>=1.29.0' }, source, coreVersion: '3.5.0' }));
    expect(error.explanation).toBe(
      [
        'Because kubernetes >=1.29.0 requires provisioning >=4.0.0 and you are running provisioning 3.5.0, kubernetes >=1.29.0 is forbidden.',
        'So, because your workspace depends on kubernetes >=1.29.0, version solving failed.',
      ].join('\n'),
    );
  });

  it('backtracks over a transitive dependency that needs a newer core', async () => {
    const source = new InMemorySource({
      cilium: { '1.14.0': {}, '1.15.0': { minCoreVersion: '4.0.0' } },
      kubernetes: { '1.28.0': { dependencies: { cilium: '^1.14.0' } } },
    });
    const solution = await solve({ root: { kubernetes: '*' }, source, coreVersion: '3.5.0' });
    expect(Object.fromEntries(solution.versions)).toEqual({ cilium: '1.14.0', kubernetes: '1.28.0' });
  });

  it('explains each distinct core requirement separately', async () => {
    const source = new InMemorySource({
      cilium: { '1.14.0': {}, '1.15.0': { minCoreVersion: '4.0.0' }, '1.16.0': { minCoreVersion: 'v4.1.0' } },
      kubernetes: { '1.28.0': { dependencies: { cilium: '>=1.15.0' } } },
    });
    const error = await solveError(solve({ root: { kubernetes: '*' }, source, coreVersion: '3.5.0' }));
    expect(error.explanation).toBe(
      [
        'Because cilium 1.15.0 requires provisioning >=4.0.0 and you are running provisioning 3.5.0, cilium 1.15.0 is forbidden.',
        'Because cilium 1.16.0 requires provisioning >=4.1.0 and you are running provisioning 3.5.0, cilium 1.16.0 is forbidden.',
        'Thus, cilium >=1.15.0 is forbidden.',
        'So, because your workspace depends on kubernetes * which depends on cilium >=1.15.0, version solving failed.',
      ].join('\n'),
    );
  });

  it('rejects an unparsable minimum core version, naming the package version', async () => {
    const source = new InMemorySource({ kubernetes: { '1.28.0': { minCoreVersion: 'soon' } } });
    const error = await solve({ root: { kubernetes: '*' }, source, coreVersion: '3.5.0' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProvisioningError);
    expect((error as ProvisioningError).code).toBe('INVALID_MIN_CORE_VERSION');
    expect((error as ProvisioningError).message).toContain('kubernetes 1.28.0');
  });
});
