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

describe('checkRealm: internal IP-literal realms (GHSA-xf85-363p-868w)', () => {
  const registries = [
    ['https://registry.example.com', 'registry.example.com'],
    ['https://8.8.8.8', '8.8.8.8'],
    ['https://10.0.0.5', '10.0.0.5'],
    ['http://127.0.0.1:5000', '127.0.0.1:5000'],
  ] as const;

  it.each([
    'https://169.254.169.254/latest/meta-data',
    'https://[::ffff:169.254.169.254]/token',
    'https://[::ffff:a9fe:a9fe]/token',
    'https://2852039166/token',
    'https://169.254.169.254./token',
    'https://[fe80::1]/token',
    'https://10.0.0.6/token',
    'https://172.16.0.1/token',
    'https://192.168.0.1/token',
    'https://[fd00::1]/token',
    'https://[::ffff:10.0.0.6]/token',
    'https://0.0.0.0/token',
    'https://[::]/token',
    'https://127.0.0.1:9000/token',
    'https://[::1]/token',
    'https://localhost/token',
  ])('refuses %s for a registry that is not that host', (realm) => {
    for (const [origin, host] of registries) {
      if (new URL(realm).hostname === new URL(origin).hostname) continue;
      if (host.startsWith('127.') && /127\.0\.0\.1|\[::1\]|localhost/.test(realm)) continue;
      let error: unknown;
      try {
        checkRealm(realm, origin, host);
      } catch (caught) {
        error = caught;
      }
      expect(error, `${realm} for ${origin}`).toMatchObject({ code: 'REALM_REFUSED', kind: 'registry' });
      expect((error as Error).message).toMatch(/loopback|link-local|private|unspecified/);
      expect((error as Error).message).toContain(host);
    }
  });

  it('names the metadata endpoint range in the message', () => {
    expect(() =>
      checkRealm('https://169.254.169.254/token', 'https://registry.example.com', 'registry.example.com'),
    ).toThrow(
      /refusing token realm https:\/\/169\.254\.169\.254 of registry registry\.example\.com: it is a link-local address/,
    );
  });

  it.each([
    ['https://10.0.0.5:8443/token', 'https://10.0.0.5', '10.0.0.5', true],
    ['https://[fd00::5]:9000/token', 'https://[fd00::5]', '[fd00::5]', true],
    ['https://169.254.10.10:81/token', 'https://169.254.10.10', '169.254.10.10', true],
    ['http://127.0.0.1:9000/token', 'http://127.0.0.1:5000', '127.0.0.1:5000', true],
    ['http://localhost:9000/token', 'http://127.0.0.1:5000', '127.0.0.1:5000', true],
    ['https://127.0.0.1:9000/token', 'https://127.0.0.1:5443', '127.0.0.1:5443', true],
    ['http://[::1]:9000/token', 'http://[::1]:5000', '[::1]:5000', true],
  ] as const)('accepts %s on the registry’s own host %s', (realm, origin, host, credentials) => {
    expect(checkRealm(realm, origin, host).sendCredentials).toBe(credentials);
  });

  it('still accepts public IP-literal and DNS realms on other hosts (Docker Hub’s auth.docker.io)', () => {
    expect(
      checkRealm('https://8.8.4.4/token', 'https://registry.example.com', 'registry.example.com'),
    ).toMatchObject({
      sendCredentials: false,
    });
    expect(
      checkRealm('https://auth.docker.io/token', 'https://registry-1.docker.io', 'docker.io').sendCredentials,
    ).toBe(true);
  });
});
