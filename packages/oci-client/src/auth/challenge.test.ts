import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from './challenge.js';

describe('parseWwwAuthenticate', () => {
  it('parses a Docker bearer challenge with quoted values', () => {
    expect(
      parseWwwAuthenticate(
        'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:ns/app:pull,push"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.example.com/token',
          service: 'registry.example.com',
          scope: 'repository:ns/app:pull,push',
        },
      },
    ]);
  });

  it('accepts lowercase schemes and unquoted values (Zot)', () => {
    expect(parseWwwAuthenticate('basic realm=zot')).toEqual([{ scheme: 'basic', params: { realm: 'zot' } }]);
    expect(parseWwwAuthenticate('BEARER REALM=http://x/token, Service=reg')).toEqual([
      { scheme: 'bearer', params: { realm: 'http://x/token', service: 'reg' } },
    ]);
  });

  it('splits several challenges in one header and across headers', () => {
    const parsed = parseWwwAuthenticate([
      'Basic realm="r1", Bearer realm="https://a/t",service="s"',
      'Negotiate',
    ]);
    expect(parsed.map((c) => c.scheme)).toEqual(['basic', 'bearer', 'negotiate']);
    expect(parsed[1]!.params).toEqual({ realm: 'https://a/t', service: 's' });
  });

  it('handles escapes in quoted strings, a token68 and garbage', () => {
    expect(
      parseWwwAuthenticate('Bearer realm="a \\"quoted\\" realm", error="insufficient_scope"')[0]!.params,
    ).toEqual({
      realm: 'a "quoted" realm',
      error: 'insufficient_scope',
    });
    expect(parseWwwAuthenticate('Basic dXNlcjpwYXNz==, Bearer realm="r"').map((c) => c.scheme)).toEqual([
      'basic',
      'bearer',
    ]);
    expect(parseWwwAuthenticate(undefined)).toEqual([]);
    expect(parseWwwAuthenticate('')).toEqual([]);
    expect(() => parseWwwAuthenticate('@@@ ;;; ===')).not.toThrow();
  });
});

describe('parseWwwAuthenticate properties', () => {
  it('recovers every parameter of generated challenges, quoted or bare, in any case', async () => {
    const fc = (await import('fast-check')).default;
    const name = fc.stringMatching(/^[a-z][a-z_]{0,8}$/);
    const value = fc.stringMatching(/^[A-Za-z0-9:/._,=" -]{0,20}$/);
    fc.assert(
      fc.property(
        fc.constantFrom('Bearer', 'basic', 'BEARER'),
        fc.uniqueArray(fc.tuple(name, value), { selector: ([n]) => n, minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (scheme, params, upper) => {
          const text = `${scheme} ${params
            .map(([n, v]) => {
              const key = upper ? n.toUpperCase() : n;
              const bare = /^[A-Za-z0-9:/._-]+$/.test(v);
              return bare ? `${key}=${v}` : `${key}="${v.replace(/["\\]/g, '\\$&')}"`;
            })
            .join(', ')}`;
          const [challenge, ...rest] = parseWwwAuthenticate(text);
          expect(rest).toEqual([]);
          expect(challenge!.scheme).toBe(scheme.toLowerCase());
          expect(challenge!.params).toEqual(Object.fromEntries(params));
        },
      ),
    );
  });
});
