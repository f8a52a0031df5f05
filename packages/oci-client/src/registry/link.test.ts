import { describe, expect, it } from 'vitest';
import { nextLink, resolveNextLink } from './link.js';

describe('Link pagination', () => {
  it('finds rel="next" among several links, quoted or not', () => {
    expect(nextLink('</v2/_catalog?last=b&n=2>; rel="next"')).toBe('/v2/_catalog?last=b&n=2');
    expect(nextLink('<https://r/prev>; rel="prev", <https://r/next>; rel=next')).toBe('https://r/next');
    expect(nextLink(['<a>; rel="prev"', '<b>; rel="next"'])).toBe('b');
    expect(nextLink('<a>; rel="prev"')).toBeUndefined();
    expect(nextLink(undefined)).toBeUndefined();
  });

  it('resolves relative links and refuses other origins', () => {
    const base = new URL('http://127.0.0.1:5000/v2/ns/app/tags/list');
    expect(resolveNextLink('/v2/ns/app/tags/list?last=x', base, 'list').href).toBe(
      'http://127.0.0.1:5000/v2/ns/app/tags/list?last=x',
    );
    expect(() => resolveNextLink('http://127.0.0.1:5001/v2/x', base, 'list tags')).toThrow(/another origin/);
    expect(() => resolveNextLink('https://127.0.0.1:5000/v2/x', base, 'list tags')).toThrow(/another origin/);
  });
});
