/**
 * Token realm rules end to end (docs/oci.md, "Token realms"): no redirects on token requests,
 * `service`/`scope` encoded, and a remembered challenge never swapped for a refused realm. Every
 * server is on loopback, and a guard fails any connection to another address, so a refused realm
 * (169.254.169.254, 10.0.0.1) is never dialled even if the client were wrong.
 */
import {
  guardLoopbackOnly,
  type LoopbackGuard,
  startHttpServer,
  type TestHttpServer,
} from '@provisioning/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from '../src/index.js';
import { FAST_RETRY } from './helpers.js';

const servers: TestHttpServer[] = [];
let guard: LoopbackGuard;
beforeAll(() => {
  guard = guardLoopbackOnly();
});
afterEach(() => {
  expect(guard.attempts).toEqual([]);
});
afterAll(async () => {
  guard.restore();
  for (const s of servers) await s.close();
});

async function server(handler: Parameters<typeof startHttpServer>[0]): Promise<TestHttpServer> {
  const s = await startHttpServer(handler);
  servers.push(s);
  return s;
}

/** A registry accepting `Bearer good-…`; `challenge(n)` is the WWW-Authenticate of its n-th 401. */
async function registryWith(challenge: (n: number) => string): Promise<TestHttpServer> {
  let challenges = 0;
  return server((req, res) => {
    if (!req.headers.authorization?.startsWith('Bearer good-') || req.url?.includes('again')) {
      challenges++;
      res.writeHead(401, { 'www-authenticate': challenge(challenges) }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"ns/app","tags":["1.0.0"]}');
  });
}

describe('token realm requests', () => {
  it('never follows a redirect from the token server: the error names the realm, the target sees nothing', async () => {
    const target = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"good-stolen"}');
    });
    const realm = await server((_req, res) => {
      res.writeHead(302, { location: `${target.url}/token` }).end();
    });
    const registry = await registryWith(() => `Bearer realm="${realm.url}/token",service="svc"`);
    const client = new Registry(registry.host, {
      credentials: { username: 'alice', password: 's3cret' },
      retry: FAST_RETRY,
    });
    try {
      const error = await client
        .repository('ns/app')
        .tags()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'REDIRECT_REFUSED', kind: 'registry', status: 302 });
      expect((error as Error).message).toContain(`token server ${realm.url}`);
      expect((error as Error).message).toContain('never follow redirects');
      expect(realm.requests).toHaveLength(1);
      expect(target.requests).toHaveLength(0);
    } finally {
      await client.close();
    }
  });

  it('encodes service and scope so they cannot add parameters, and keeps the realm’s own query', async () => {
    const realm = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"good-1"}');
    });
    const service = 'svc&scope=repository:other/secret:push,pull&account=admin';
    const scope = 'repository:ns/app:pull&service=evil';
    const registry = await registryWith(
      () => `Bearer realm="${realm.url}/token?tenant=t1",service="${service}",scope="${scope}"`,
    );
    const client = new Registry(registry.host, { credentials: null, retry: FAST_RETRY });
    try {
      expect(await client.repository('ns/app').tags()).toEqual(['1.0.0']);
      const raw = realm.requests[0]!.url;
      const query = new URL(raw, realm.url).searchParams;
      expect([...new Set(query.keys())].sort()).toEqual(['scope', 'service', 'tenant']);
      expect(query.getAll('service')).toEqual([service]);
      expect(query.getAll('tenant')).toEqual(['t1']);
      expect(query.getAll('account')).toEqual([]);
      for (const value of query.getAll('scope')) expect(value.startsWith('repository:ns/app:')).toBe(true);
      expect(raw).not.toContain('&service=evil');
      expect(raw).not.toContain('&account=');
    } finally {
      await client.close();
    }
  });

  it('checks a later challenge too: a refused realm does not replace the remembered one', async () => {
    const realm = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"good-1","expires_in":300}');
    });
    const registry = await registryWith((n) =>
      n === 1
        ? `Bearer realm="${realm.url}/token",service="svc"`
        : 'Bearer realm="https://169.254.169.254/latest/meta-data",service="svc"',
    );
    const client = new Registry(registry.host, {
      credentials: { username: 'alice', password: 's3cret' },
      retry: FAST_RETRY,
    });
    try {
      const repo = client.repository('ns/app');
      expect(await repo.tags()).toEqual(['1.0.0']);
      // The registry now challenges again with the metadata endpoint as its realm.
      const hijacked = client.repository('ns/again');
      const error = await hijacked.tags().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'REALM_REFUSED', kind: 'registry' });
      expect((error as Error).message).toMatch(
        /refusing token realm https:\/\/169\.254\.169\.254 of registry 127\.0\.0\.1:\d+: it is a link-local address/,
      );
      // The remembered (good) realm still serves the next request; the refused one was never asked.
      expect(await repo.tags()).toEqual(['1.0.0']);
      expect(realm.requests.every((r) => r.url.startsWith('/token?'))).toBe(true);
    } finally {
      await client.close();
    }
  });

  it.each([
    'https://169.254.169.254/token',
    'https://[::ffff:169.254.169.254]/token',
    'https://10.0.0.1/token',
    'https://[fd00::1]/token',
    'https://0.0.0.0/token',
  ])('refuses the first challenge with realm %s and never dials it', async (hostile) => {
    const registry = await registryWith(() => `Bearer realm="${hostile}",service="svc"`);
    const client = new Registry(registry.host, {
      credentials: { username: 'alice', password: 's3cret' },
      retry: FAST_RETRY,
    });
    try {
      await expect(client.repository('ns/app').tags()).rejects.toMatchObject({ code: 'REALM_REFUSED' });
      expect(registry.requests).toHaveLength(1);
    } finally {
      await client.close();
    }
  });
});
