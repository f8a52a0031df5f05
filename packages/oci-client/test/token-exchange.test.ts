import { startHttpServer, type TestHttpServer } from '@provisioning/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { TokenCache } from '../src/auth/token-cache.js';
import { Registry } from '../src/index.js';
import { FAST_RETRY } from './helpers.js';

const servers: TestHttpServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

/** A registry that accepts `Bearer good-<n>` tokens and a realm whose answers the test scripts. */
async function setup(tokenAnswer: (n: number) => { status: number; body: string }) {
  let issued = 0;
  const realm = await startHttpServer((_req, res) => {
    issued++;
    const answer = tokenAnswer(issued);
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  servers.push(realm);
  const registry = await startHttpServer((req, res) => {
    if (!req.headers.authorization?.startsWith('Bearer good-')) {
      res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="${realm.url}/token",service="svc",scope="repository:ns/app:pull"`,
          'content-type': 'application/json',
        })
        .end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"ns/app","tags":["1.0.0"]}');
  });
  servers.push(registry);
  return { realm, registry };
}

describe('token exchange details', () => {
  it('accepts access_token, caches until expires_in runs out, then fetches a new one', async () => {
    const { realm, registry } = await setup((n) => ({
      status: 200,
      body: JSON.stringify({ access_token: `good-${n}`, expires_in: 120 }),
    }));
    let now = 1_000_000;
    const client = new Registry(registry.host, {
      credentials: null,
      retry: FAST_RETRY,
      tokenCache: new TokenCache(() => now),
    });
    try {
      const repo = client.repository('ns/app');
      expect(await repo.tags()).toEqual(['1.0.0']);
      expect(await repo.tags()).toEqual(['1.0.0']);
      expect(realm.requests).toHaveLength(1);
      expect(realm.requests[0]!.url).toBe('/token?service=svc&scope=repository%3Ans%2Fapp%3Apull');
      now += 116_000;
      expect(await repo.tags()).toEqual(['1.0.0']);
      expect(realm.requests).toHaveLength(2);
      expect(registry.requests.at(-1)!.headers.authorization).toBe('Bearer good-2');
    } finally {
      await client.close();
    }
  });

  it('defaults expires_in to 60 s', async () => {
    const { realm, registry } = await setup((n) => ({
      status: 200,
      body: JSON.stringify({ token: `good-${n}` }),
    }));
    let now = 0;
    const client = new Registry(registry.host, {
      credentials: null,
      retry: FAST_RETRY,
      tokenCache: new TokenCache(() => now),
    });
    try {
      const repo = client.repository('ns/app');
      await repo.tags();
      now = 54_000;
      await repo.tags();
      expect(realm.requests).toHaveLength(1);
      now = 56_000;
      await repo.tags();
      expect(realm.requests).toHaveLength(2);
    } finally {
      await client.close();
    }
  });

  it('a token the registry keeps refusing ends in UNAUTHORIZED after one retry, not a loop', async () => {
    const { realm, registry } = await setup(() => ({ status: 200, body: '{"token":"bad-token"}' }));
    const client = new Registry(registry.host, { credentials: null, retry: FAST_RETRY });
    try {
      await expect(client.repository('ns/app').tags()).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        status: 401,
      });
      expect(realm.requests).toHaveLength(1);
      expect(registry.requests).toHaveLength(2);
    } finally {
      await client.close();
    }
  });

  it('reports token servers that fail or answer nonsense', async () => {
    const broken = await setup(() => ({ status: 200, body: '<html>login page</html>' }));
    const empty = await setup(() => ({ status: 200, body: '{"expires_in":60}' }));
    const refused = await setup(() => ({ status: 401, body: '{}' }));
    for (const [setupResult, code] of [
      [broken, 'TOKEN_FAILED'],
      [empty, 'TOKEN_FAILED'],
      [refused, 'UNAUTHORIZED'],
    ] as const) {
      const client = new Registry(setupResult.registry.host, { credentials: null, retry: FAST_RETRY });
      try {
        const error = await client
          .repository('ns/app')
          .tags()
          .catch((e: unknown) => e);
        expect(error).toMatchObject({ code, kind: 'registry' });
        expect((error as Error).message).toContain(setupResult.registry.host);
      } finally {
        await client.close();
      }
    }
  });
});
