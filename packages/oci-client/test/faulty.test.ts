import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  type RunningDistribution,
  startDistribution,
  startHttpServer,
  type TestHttpServer,
} from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from '../src/index.js';
import { extensionArtifact, FAST_RETRY, pushArtifact, readAll } from './helpers.js';

let registry: RunningDistribution;
const servers: TestHttpServer[] = [];

beforeAll(async () => {
  registry = await startDistribution();
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await registry?.stop();
});

type Fault = 'reset' | '503' | '429-date' | '429-0' | '502' | '429-1s';

/** Stream the request to the real registry and its answer back (Host kept, so Locations point at us). */
function forward(req: IncomingMessage, res: ServerResponse): void {
  const upstream = httpRequest(
    {
      host: '127.0.0.1',
      port: Number(registry.host.split(':')[1]),
      method: req.method,
      path: req.url,
      headers: req.headers,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => req.socket.destroy());
  req.pipe(upstream);
}

/** A proxy that injects `faults` in turn, one every other request, then behaves. */
async function faultyProxy(faults: Fault[]): Promise<TestHttpServer & { injected: Fault[] }> {
  const injected: Fault[] = [];
  let count = 0;
  const proxy = await startHttpServer((req, res) => {
    count++;
    const fault = count % 2 === 1 ? faults.shift() : undefined;
    if (fault === undefined) {
      forward(req, res);
      return;
    }
    injected.push(fault);
    req.resume();
    switch (fault) {
      case 'reset':
        req.socket.destroy();
        return;
      case '503':
        res
          .writeHead(503, { 'retry-after': '0', 'content-type': 'text/html' })
          .end('<h1>Service Unavailable</h1>');
        return;
      case '502':
        res.writeHead(502).end('bad gateway');
        return;
      case '429-0':
        res
          .writeHead(429, { 'retry-after': '0' })
          .end('{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}');
        return;
      case '429-date':
        res.writeHead(429, { 'retry-after': new Date(Date.now() - 1000).toUTCString() }).end();
        return;
      case '429-1s':
        res.writeHead(429, { 'retry-after': '1' }).end();
        return;
    }
  });
  servers.push(proxy);
  return Object.assign(proxy, { injected });
}

describe('a registry that resets connections and answers 503/429', () => {
  it('still gets a push and a pull done, honouring Retry-After', async () => {
    const proxy = await faultyProxy([
      'reset',
      '503',
      '429-0',
      'reset',
      '502',
      '429-date',
      '429-1s',
      'reset',
      '503',
      'reset',
    ]);
    const client = new Registry(proxy.host, { credentials: null, retry: FAST_RETRY });
    try {
      const art = extensionArtifact('flaky', '1.0.0', Buffer.alloc(200_000, 7));
      const repo = client.repository('provisioning-extensions/flaky');
      const started = Date.now();
      await pushArtifact(repo, art, '1.0.0');
      expect(await repo.tags()).toEqual(['1.0.0']);
      const fetched = await repo.fetchManifest('1.0.0');
      expect(fetched.descriptor.digest).toBe(art.manifestDesc.digest);
      expect((await readAll(await repo.fetchBlob(art.layerDesc))).equals(art.layer)).toBe(true);
      expect(proxy.injected).toHaveLength(10);
      // Backoff is capped at 50 ms here: only the server's `Retry-After: 1` explains a 1 s pause.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    } finally {
      await client.close();
    }
  });

  it('gives up after 5 tries with a retryable REGISTRY_UNAVAILABLE error', async () => {
    const always = await startHttpServer((_req, res) => {
      res.writeHead(503).end('down for maintenance');
    });
    servers.push(always);
    const client = new Registry(always.host, { credentials: null, retry: FAST_RETRY });
    try {
      const error = await client
        .repository('ns/app')
        .tags()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'REGISTRY_UNAVAILABLE',
        kind: 'registry',
        status: 503,
        retryable: true,
      });
      expect((error as Error).message).toContain('down for maintenance');
      expect(always.requests).toHaveLength(5);
    } finally {
      await client.close();
    }
  });

  it('a refused connection is a network error naming the host', async () => {
    const gone = await startHttpServer((_req, res) => {
      res.end();
    });
    const host = gone.host;
    await gone.close();
    const client = new Registry(host, { credentials: null, retry: { ...FAST_RETRY, maxTries: 2 } });
    try {
      const error = await client.ping().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'NETWORK_ERROR', kind: 'network' });
      expect((error as Error).message).toContain(host);
      expect((error as { exitCode: number }).exitCode).toBe(3);
    } finally {
      await client.close();
    }
  });

  it('a registry that never answers fails once the response budget is spent, retries included', async () => {
    const silent = await startHttpServer((req) => {
      req.resume(); // reads the request, never answers
    });
    servers.push(silent);
    const client = new Registry(silent.host, {
      credentials: null,
      retry: FAST_RETRY,
      timeouts: { response: 300 },
    });
    try {
      const started = Date.now();
      const error = await client
        .repository('ns/app')
        .tags()
        .catch((e: unknown) => e);
      // 300 ms in total, not 300 ms for each of 5 tries
      expect(Date.now() - started).toBeLessThan(1000);
      expect(error).toMatchObject({ code: 'NETWORK_ERROR', kind: 'network', retryable: true });
      expect((error as Error).message).toBe(
        `list tags of ${silent.host}/ns/app: ${silent.host} did not answer within 300 ms`,
      );
      expect((error as { hint: string }).hint).toContain('--timeout');
      expect(silent.requests).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it('a blob download that stalls half-way fails after the stall timeout', async () => {
    const art = extensionArtifact('stall', '1.0.0', Buffer.alloc(100_000, 3));
    const stalling = await startHttpServer((req, res) => {
      req.resume();
      // Headers and half the body, then silence with the connection left open.
      res.writeHead(200, { 'content-length': String(art.layer.length) });
      res.write(art.layer.subarray(0, art.layer.length / 2));
    });
    servers.push(stalling);
    const client = new Registry(stalling.host, {
      credentials: null,
      retry: { ...FAST_RETRY, maxTries: 1 },
      timeouts: { idle: 200 },
    });
    try {
      const stream = await client.repository('ns/app').fetchBlob(art.layerDesc);
      const error = await readAll(stream).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'NETWORK_ERROR', kind: 'network', exitCode: 3 });
      expect((error as Error).message).toContain('stalled');
    } finally {
      await client.close();
    }
  });
});
