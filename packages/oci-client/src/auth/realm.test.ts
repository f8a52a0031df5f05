import { describe, expect, it } from 'vitest';
import { checkRealm } from './realm.js';

describe('checkRealm', () => {
  it('allows the registry origin and HTTPS realms of the same site with credentials', () => {
    expect(checkRealm('https://ghcr.io/token', 'https://ghcr.io', 'ghcr.io').sendCredentials).toBe(true);
    expect(
      checkRealm('https://auth.docker.io/token', 'https://registry-1.docker.io', 'docker.io').sendCredentials,
    ).toBe(true);
  });

  it('allows an HTTPS realm of another site but withholds credentials', () => {
    const decision = checkRealm(
      'https://auth.other.net/token',
      'https://registry.example.com',
      'registry.example.com',
    );
    expect(decision.sendCredentials).toBe(false);
  });

  it('refuses plain HTTP on another origin, downgrades and odd schemes', () => {
    expect(() =>
      checkRealm('http://auth.example.com/token', 'https://registry.example.com', 'registry.example.com'),
    ).toThrow(/refusing token realm http:\/\/auth\.example\.com/);
    expect(() => checkRealm('http://127.0.0.1:9/token', 'https://127.0.0.1:8443', '127.0.0.1:8443')).toThrow(
      /REALM|plain HTTP/,
    );
    expect(() => checkRealm('file:///etc/passwd', 'https://r.example', 'r.example')).toThrow(/not an http/);
    expect(() => checkRealm('https://u:p@r.example/t', 'https://r.example', 'r.example')).toThrow(
      /embeds credentials/,
    );
    expect(() => checkRealm('not a url', 'https://r.example', 'r.example')).toThrow(/invalid token realm/);
  });

  it('allows a loopback HTTP realm only for a loopback HTTP registry', () => {
    expect(
      checkRealm('http://127.0.0.1:9000/token', 'http://127.0.0.1:5000', '127.0.0.1:5000').sendCredentials,
    ).toBe(true);
    expect(() => checkRealm('http://10.0.0.5/token', 'http://127.0.0.1:5000', '127.0.0.1:5000')).toThrow(
      /plain HTTP/,
    );
  });
});
