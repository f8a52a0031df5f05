import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('is independent of insertion order and keeps non-ASCII as UTF-8', () => {
    const one = canonicalJson({ name: 'café', tags: ['ü'], version: '1.0.0' });
    const two = canonicalJson({ version: '1.0.0', tags: ['ü'], name: 'café' });
    expect(one).toBe(two);
    expect(Buffer.from(one, 'utf8').includes(Buffer.from('café', 'utf8'))).toBe(true);
  });

  it('sorts by code unit, not locale, and skips undefined members', () => {
    expect(canonicalJson({ b: 1, B: 2, a: undefined, _: 3 })).toBe('{"B":2,"_":3,"b":1}');
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/\$\.n is NaN/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
    expect(() => canonicalJson(10n)).toThrow(/bigint/);
  });
});
