import { describe, expect, it } from 'vitest';
import { TokenCache } from './token-cache.js';

describe('TokenCache', () => {
  it('keeps tokens until shortly before expiry, keyed by origin, service and scopes', () => {
    let now = 1_000_000;
    const cache = new TokenCache(() => now);
    const key = TokenCache.key('https://r.example', 'svc', ['repository:a:pull']);
    cache.set(key, 'tok', 60);
    expect(cache.get(key)).toBe('tok');
    expect(cache.get(TokenCache.key('https://r.example', 'svc', ['repository:a:pull,push']))).toBeUndefined();
    expect(cache.get(TokenCache.key('https://r.example:444', 'svc', ['repository:a:pull']))).toBeUndefined();
    now += 54_000;
    expect(cache.get(key)).toBe('tok');
    now += 1_001;
    expect(cache.get(key)).toBeUndefined();
  });

  it('short lifetimes keep 90 %', () => {
    let now = 0;
    const cache = new TokenCache(() => now);
    cache.set('k', 't', 1);
    now = 899;
    expect(cache.get('k')).toBe('t');
    now = 900;
    expect(cache.get('k')).toBeUndefined();
  });
});
