import { describe, expect, it } from 'vitest';
import { parseLayoutLocation } from './layout-location.js';

const digest = `sha256:${'a'.repeat(64)}`;

describe('parseLayoutLocation', () => {
  it.each([
    ['oci-layout:/tmp/cache', { path: '/tmp/cache' }],
    ['oci-layout:./out:1.0.0', { path: './out', tag: '1.0.0', reference: '1.0.0' }],
    [`oci-layout:/x/y@${digest}`, { path: '/x/y', digest, reference: digest }],
    ['oci-layout:C:/dir:v1', { path: 'C:/dir', tag: 'v1', reference: 'v1' }],
    ['oci-layout:/a:b/c', { path: '/a:b/c' }],
  ])('parses %s', (input, expected) => {
    expect(parseLayoutLocation(input)).toEqual(expected);
  });

  it.each([
    ['docker://x', 'must start with'],
    ['oci-layout:', 'path is empty'],
    ['oci-layout::tag', 'path is empty'],
    ['oci-layout:/x:bad~tag', 'not a valid tag'],
    ['oci-layout:/x@sha256:abc', 'not a sha256/sha512 digest'],
  ])('refuses %s', (input, why) => {
    expect(() => parseLayoutLocation(input)).toThrow(why);
    try {
      parseLayoutLocation(input);
    } catch (error) {
      expect(error).toMatchObject({ code: 'LAYOUT_LOCATION_INVALID', kind: 'usage' });
    }
  });
});
