// The resolver stands alone: its errors are provisioning errors without depending on schemas, it
// bundles for the browser and runs there, and the core's name in its messages is the caller's.
import { runInNewContext } from 'node:vm';
import { isProvisioningError, ProvisioningError } from '@provisioning/schemas';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { InMemorySource, ResolverError, SolveError, solve } from '../src/index.js';

const entry = new URL('../src/index.ts', import.meta.url).pathname;

describe('a standalone resolver', () => {
  it('throws errors that schemas recognises as its own', async () => {
    const error = new ResolverError('PACKAGE_NOT_IN_GRAPH', 'nope', { kind: 'usage', hint: 'look' });
    expect(isProvisioningError(error)).toBe(true);
    expect(error instanceof ProvisioningError).toBe(true);
    expect(error.exitCode).toBe(2);
    expect(error.toJSON()).toEqual({
      code: 'PACKAGE_NOT_IN_GRAPH',
      kind: 'usage',
      message: 'nope',
      hint: 'look',
    });
    const failed = await solve({
      root: { a: '^2.0.0' },
      source: new InMemorySource({ a: { '1.0.0': {} } }),
    }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(SolveError);
    expect(isProvisioningError(failed)).toBe(true);
  });

  it('names the core as told', async () => {
    const source = new InMemorySource({ k: { '2.0.0': { minCoreVersion: '9.0.0' } } });
    const named = (await solve({ root: { k: '*' }, source, coreVersion: '1.0.0', coreName: 'acme' }).catch(
      (e: unknown) => e,
    )) as SolveError;
    expect(named.explanation).toContain('you are running acme 1.0.0');
    const fallback = (await solve({ root: { k: '*' }, source, coreVersion: '1.0.0' }).catch(
      (e: unknown) => e,
    )) as SolveError;
    expect(fallback.explanation).toContain('you are running provisioning 1.0.0');
  });

  it('bundles with esbuild --platform=browser and solves with no Node.js globals', async () => {
    const bundled = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'resolver',
      write: false,
      logLevel: 'silent',
    });
    expect(bundled.errors).toEqual([]);
    const code = bundled.outputFiles[0]?.text ?? '';
    expect(code).not.toMatch(/["']node:/);
    // a bare context: no process, no require, no Buffer, as in a browser tab
    const context: Record<string, unknown> = {};
    runInNewContext(`${code}\nglobalThis.resolver = resolver;`, context);
    const api = context.resolver as typeof import('../src/index.js');
    const solution = await api.solve({
      root: { a: '^1.0.0' },
      source: new api.InMemorySource({
        a: { '1.0.0': {}, '1.2.0': { dependencies: { b: '2.x' } } },
        b: { '2.1.0': {} },
      }),
    });
    expect([...solution.versions]).toEqual([
      ['a', '1.2.0'],
      ['b', '2.1.0'],
    ]);
  });
});
