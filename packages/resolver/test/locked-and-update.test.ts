import { ProvisioningError } from '@provisioning/schemas';
import { describe, expect, it } from 'vitest';
import { InMemorySource, SolveError, solve, updateOne } from '../src/index.js';

const source = new InMemorySource({
  kubernetes: { '1.28.0': {}, '1.29.0': {}, '1.30.0': {} },
  cilium: {
    '1.14.0': { dependencies: { kubernetes: '>=1.28.0 <1.30.0' } },
    '1.15.0': { dependencies: { kubernetes: '^1.30.0' } },
  },
  containerd: { '1.7.0': {}, '1.7.1': {} },
});
const root = { kubernetes: '^1.28.0', cilium: '^1.14.0', containerd: '^1.7.0' };
const locked = { kubernetes: '1.28.0', cilium: '1.14.0', containerd: '1.7.0' };

describe('locked preference', () => {
  it('keeps locked versions that still satisfy every range', async () => {
    const solution = await solve({ root, source, locked });
    expect(Object.fromEntries(solution.versions)).toEqual(locked);
  });

  it('resolves to the newest versions without a lock', async () => {
    const solution = await solve({ root, source });
    expect(Object.fromEntries(solution.versions)).toEqual({
      cilium: '1.15.0',
      containerd: '1.7.1',
      kubernetes: '1.30.0',
    });
  });

  it('drops the preference for unlocked names and for locks that no longer fit', async () => {
    const unlocked = await solve({ root, source, locked, unlock: ['containerd'] });
    expect(unlocked.versions.get('containerd')).toBe('1.7.1');
    expect(unlocked.versions.get('kubernetes')).toBe('1.28.0');
    const narrowed = await solve({ root: { ...root, containerd: '>=1.7.1' }, source, locked });
    expect(narrowed.versions.get('containerd')).toBe('1.7.1');
    const vanished = await solve({ root, source, locked: { ...locked, containerd: '1.6.9' } });
    expect(vanished.versions.get('containerd')).toBe('1.7.1');
  });
});

describe('updateOne', () => {
  it('changes only the named package when nothing else has to move', async () => {
    const result = await updateOne({ root, source, locked, name: 'containerd' });
    expect(result.changes).toEqual([{ name: 'containerd', from: '1.7.0', to: '1.7.1' }]);
    expect(result.versions.get('kubernetes')).toBe('1.28.0');
  });

  it('also changes what the new version forces, and nothing more', async () => {
    const result = await updateOne({ root, source, locked, name: 'cilium' });
    expect(result.changes).toEqual([
      { name: 'cilium', from: '1.14.0', to: '1.15.0' },
      { name: 'kubernetes', from: '1.28.0', to: '1.30.0' },
    ]);
    expect(result.versions.get('containerd')).toBe('1.7.0');
  });

  it('honours an explicit target and keeps the rest locked', async () => {
    const result = await updateOne({ root, source, locked, name: 'kubernetes', to: '1.29.0' });
    expect(result.changes).toEqual([{ name: 'kubernetes', from: '1.28.0', to: '1.29.0' }]);
    expect(result.graph.roots.map((edge) => edge.name)).toEqual(['cilium', 'containerd', 'kubernetes']);
  });

  it('explains an unsatisfiable target', async () => {
    const pinned = { ...root, kubernetes: '~1.28.0' };
    const error = await updateOne({ root: pinned, source, locked, name: 'cilium', to: '1.15.0' }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(SolveError);
    expect(error.explanation).toBe(
      [
        'Because cilium 1.15.0 depends on kubernetes ^1.30.0 and your workspace depends on kubernetes ~1.28.0, cilium 1.15.0 is forbidden.',
        'So, because you asked for cilium 1.15.0, version solving failed.',
      ].join('\n'),
    );
    expect(error.hint).toContain('cilium 1.15.0 cannot be used');
  });

  it('says a target that is not published is not published, and lists what is', async () => {
    const error = await updateOne({ root, source, locked, name: 'cilium', to: '9.9.9' }).catch((e) => e);
    expect(error).toBeInstanceOf(SolveError);
    expect(error.explanation).toMatch(/no versions of cilium match 9\.9\.9 \(published: 1\.15\.0, /);
    expect(error.hint).toBe(
      'no published version of cilium matches 9.9.9: pick one of the versions the explanation lists.',
    );
  });

  it('rejects unknown names and invalid targets with stable codes', async () => {
    const unknown = await updateOne({ root, source, locked, name: 'etcd' }).catch((e) => e);
    expect(unknown).toBeInstanceOf(ProvisioningError);
    expect(unknown.code).toBe('PACKAGE_NOT_IN_GRAPH');
    expect(unknown.message).toBe('etcd is not a dependency of your workspace');
    const invalid = await updateOne({ root, source, locked, name: 'cilium', to: 'latest!' }).catch((e) => e);
    expect(invalid.code).toBe('UPDATE_TARGET_INVALID');
    expect(invalid.kind).toBe('usage');
  });
});
