import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from './edit-distance.js';

describe('edit distance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('tls_enable', 'tls_enabled')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests the closest key within budget, case-insensitively, or nothing', () => {
    const keys = ['registry', 'namespace', 'tls_enabled', 'auth_token_path'];
    expect(closestMatch('registy', keys)).toBe('registry');
    expect(closestMatch('NameSpace', keys)).toBe('namespace');
    expect(closestMatch('auth_token', keys)).toBeUndefined();
    expect(closestMatch('zzz', keys)).toBeUndefined();
  });
});
