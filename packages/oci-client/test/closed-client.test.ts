/**
 * Requests that reach a client after `close()` (queued behind its concurrency limit, or fired by a
 * background prefetch) fail at once instead of being retried with backoff: a retried closed client
 * kept `dep resolve` alive for ~4 s after a failed solve.
 */
import { startHttpServer, type TestHttpServer } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from '../src/index.js';

let slow: TestHttpServer;

beforeAll(async () => {
  // answers a tag list after 300 ms, so requests are still in flight when the client closes
  slow = await startHttpServer(async (req, res) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const name = (req.url ?? '').replace(/^\/v2\/(.*)\/tags\/list.*$/, '$1');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name, tags: ['1.0.0'] }));
  });
});

afterAll(async () => {
  await slow?.close();
});

describe('a closed registry client', () => {
  it('fails a request made after close() at once, without contacting the registry', async () => {
    const before = slow.requests.length;
    const client = new Registry(slow.host, { plainHttp: true, credentials: null }); // default retry policy
    await client.close();
    const startedAt = Date.now();
    const error = await client
      .repository('ns/app')
      .tags()
      .catch((e: unknown) => e);
    // retried, the four backoffs of the default policy add up to more than 3 s
    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', kind: 'network' });
    expect(slow.requests.length).toBe(before);
  });

  it('lets in-flight requests finish and fails the queued ones without backoff', async () => {
    const client = new Registry(slow.host, { plainHttp: true, credentials: null, concurrency: 2 });
    const startedAt = Date.now();
    const results = ['a', 'b', 'c', 'd'].map((name) =>
      client
        .repository(`ns/${name}`)
        .tags()
        .then(
          (tags) => ({ ok: true, tags }),
          (error: { code?: string }) => ({ ok: false, code: error.code }),
        ),
    );
    await new Promise((resolve) => setTimeout(resolve, 50)); // a and b are on the wire, c and d queued
    await client.close();
    const settled = await Promise.all(results);
    expect(settled.slice(0, 2)).toEqual([
      { ok: true, tags: ['1.0.0'] },
      { ok: true, tags: ['1.0.0'] },
    ]);
    expect(settled.slice(2)).toEqual([
      { ok: false, code: 'NETWORK_ERROR' },
      { ok: false, code: 'NETWORK_ERROR' },
    ]);
    // 300 ms for the answers; retrying c and d would add more than 3 s of backoff
    expect(Date.now() - startedAt).toBeLessThan(2000);
  });
});
