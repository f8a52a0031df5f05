import { describe, expect, it } from 'vitest';
import { InMemorySource, type PackageMetadata, type PackageSource, SolveError, solve } from '../src/index.js';

/** Wraps a source and records every call, to check caching and error propagation. */
class CountingSource implements PackageSource {
  readonly versionCalls: string[] = [];
  readonly metadataCalls: string[] = [];
  constructor(
    private readonly inner: PackageSource,
    private readonly failOn?: string,
  ) {}
  async versions(name: string): Promise<string[]> {
    this.versionCalls.push(name);
    return this.inner.versions(name);
  }
  async metadata(name: string, version: string): Promise<PackageMetadata> {
    this.metadataCalls.push(`${name}@${version}`);
    if (name === this.failOn) throw new Error(`registry unreachable while reading ${name}`);
    return this.inner.metadata(name, version);
  }
}

const universe = new InMemorySource({
  kubernetes: {
    '1.28.0': { dependencies: { containerd: '^1.7.0', etcd: '~3.5.0' } },
    '1.29.0': { dependencies: { containerd: '^2.0.0', etcd: '~3.5.0' } },
  },
  containerd: { '1.7.0': {}, '1.7.1': {} },
  etcd: { '3.5.0': {}, '3.5.9': {} },
  cilium: { '1.14.0': { dependencies: { kubernetes: '^1.28.0' } } },
});

describe('PackageSource usage', () => {
  it('asks for each package and each version at most once, even while backtracking', async () => {
    const source = new CountingSource(universe);
    const solution = await solve({ root: { cilium: '*', kubernetes: '*' }, source });
    expect(Object.fromEntries(solution.versions)).toEqual({
      cilium: '1.14.0',
      containerd: '1.7.1',
      etcd: '3.5.9',
      kubernetes: '1.28.0',
    });
    expect(new Set(source.versionCalls).size).toBe(source.versionCalls.length);
    expect(new Set(source.metadataCalls).size).toBe(source.metadataCalls.length);
    // kubernetes 1.29.0 was tried (it needs containerd ^2.0.0, which does not exist).
    expect(source.metadataCalls).toContain('kubernetes@1.29.0');
  });

  it('reads metadata only of versions that are still candidates', async () => {
    const source = new CountingSource(universe);
    await solve({ root: { kubernetes: '1.28.0', etcd: '3.5.0' }, source });
    expect(source.metadataCalls.sort()).toEqual([
      'containerd@1.7.0',
      'containerd@1.7.1',
      'etcd@3.5.0',
      'kubernetes@1.28.0',
    ]);
  });

  it('lets source errors through unchanged instead of reporting a resolution failure', async () => {
    const source = new CountingSource(universe, 'etcd');
    const error = await solve({ root: { kubernetes: '*' }, source }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(SolveError);
    expect((error as Error).message).toBe('registry unreachable while reading etcd');
  });

  it('ignores published tags that are not semver versions and asks back with the published spelling', async () => {
    const asked: string[] = [];
    const source: PackageSource = {
      versions: async () => ['latest', '1.0.0', 'v1.1.0', 'nightly-2026'],
      metadata: async (_name, version) => {
        asked.push(version);
        return { dependencies: {} };
      },
    };
    const solution = await solve({ root: { redis: '*' }, source });
    expect(solution.versions.get('redis')).toBe('1.1.0');
    expect(asked.sort()).toEqual(['1.0.0', 'v1.1.0']);
  });

  it('explains failures of very long dependency chains without exhausting the stack', async () => {
    const length = 15_000;
    const packages: Record<string, Record<string, { dependencies: Record<string, string> }>> = {};
    for (let i = 0; i < length; i++) {
      packages[`x${i}`] = {
        '1.0.0': { dependencies: i + 1 < length ? { [`x${i + 1}`]: '^1.0.0' } : { z: '^2.0.0' } },
      };
    }
    const source = new InMemorySource({ ...packages, z: { '1.0.0': {}, '2.0.0': {} } });
    const error = await solve({ root: { x0: '*', z: '^1.0.0' }, source }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SolveError);
    const { explanation } = error as SolveError;
    expect(explanation).toContain('every version of x0 depends on x1 ^1.0.0');
    expect(explanation).toContain('z ^2.0.0');
    expect(explanation.trimEnd()).toMatch(/version solving failed\.$/);
  });
});
