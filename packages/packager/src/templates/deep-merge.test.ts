import { describe, expect, it } from 'vitest';
import { deepMerge } from './deep-merge.js';

describe('deepMerge', () => {
  it('merges mappings key by key, replaces lists and scalars, leaves inputs alone', () => {
    const base = { port: 1, tls: { enabled: false, ciphers: ['a', 'b'] }, tags: ['x'] };
    const merged = deepMerge(base, { tls: { enabled: true, ciphers: ['c'] }, tags: [], extra: null });
    expect(merged).toEqual({ port: 1, tls: { enabled: true, ciphers: ['c'] }, tags: [], extra: null });
    expect(base.tls.enabled).toBe(false);
  });
});
