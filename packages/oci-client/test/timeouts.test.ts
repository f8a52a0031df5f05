/**
 * The timeout model (docs/oci.md, "Timeouts and retries"): the response budget bounds the wait for
 * an answer in total, retries included, but a transfer that keeps moving bytes, up or down, is
 * never cut by it; only silence is.
 */
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHttpServer, type TestHttpServer } from '@provisioning/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { Transport } from '../src/http/transport.js';
import { Registry } from '../src/registry/registry.js';
import { FAST_RETRY, readAll } from './helpers.js';

const servers: TestHttpServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

/** Bytes dribbled out: `count` chunks, one every `everyMs`. */
async function* trickle(count: number, everyMs: number, chunk: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < count; i++) {
    await sleep(everyMs);
    yield chunk;
  }
}

const ctx = { host: 'test', operation: 'send' };

describe('a transfer that keeps making progress', () => {
  it('uploads for longer than the response budget as long as bytes go out', async () => {
    let received = 0;
    const server = await startHttpServer(async (req, res) => {
      for await (const chunk of req) received += (chunk as Buffer).length;
      res.writeHead(201).end();
    });
    servers.push(server);
    const transport = new Transport({ origin: server.url, retry: FAST_RETRY, timeouts: { response: 400 } });
    try {
      const started = Date.now();
      const chunk = Buffer.alloc(1000, 1);
      const res = await transport.send({
        method: 'PUT',
        url: new URL('/upload', server.url),
        headers: { 'content-length': String(8 * chunk.length) },
        body: () => Readable.from(trickle(8, 150, chunk)),
        ctx,
      });
      await res.body.dump();
      expect(res.status).toBe(201);
      expect(Date.now() - started).toBeGreaterThan(1000); // 2.5 × the budget
      expect(received).toBe(8000);
    } finally {
      await transport.close();
    }
  });

  it('downloads for longer than the budget while bytes keep coming, and fails when they stop', async () => {
    const chunk = Buffer.alloc(1000, 2);
    const server = await startHttpServer(async (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-length': String(8 * chunk.length) });
      for await (const piece of trickle(req.url === '/stall' ? 2 : 8, 150, chunk)) res.write(piece);
      if (req.url !== '/stall') res.end();
    });
    servers.push(server);
    const transport = new Transport({
      origin: server.url,
      retry: FAST_RETRY,
      timeouts: { response: 400, idle: 400 },
    });
    try {
      const started = Date.now();
      const res = await transport.send({ method: 'GET', url: new URL('/slow', server.url), ctx });
      expect((await readAll(res.body)).length).toBe(8000);
      expect(Date.now() - started).toBeGreaterThan(1000);

      const stalled = await transport.send({ method: 'GET', url: new URL('/stall', server.url), ctx });
      const error = await readAll(stalled.body).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'NETWORK_ERROR', kind: 'network', retryable: true });
    } finally {
      await transport.close();
    }
  });

  it('tells once what a request waits for, and only when it waits', async () => {
    const lines: string[] = [];
    let delay = 600;
    const server = await startHttpServer(async (req, res) => {
      req.resume();
      await sleep(delay);
      res.writeHead(200).end('{}');
    });
    servers.push(server);
    const transport = new Transport({
      origin: server.url,
      retry: FAST_RETRY,
      notice: (line) => lines.push(line),
      noticeAfterMs: 200,
    });
    try {
      for (const path of ['/v2/a/tags/list', '/v2/b/tags/list']) {
        const res = await transport.send({ method: 'GET', url: new URL(path, server.url), ctx });
        await res.body.dump();
      }
      delay = 0;
      await (await transport.send({ method: 'GET', url: new URL('/v2/', server.url), ctx })).body.dump();
      expect(lines).toEqual([`waiting for ${server.host} (GET /v2/a/tags/list)…`]);
    } finally {
      await transport.close();
    }
  });
});

describe('a response body that breaks off outside blob downloads', () => {
  it('is a retryable NETWORK_ERROR naming the request (tags list cut mid-JSON)', async () => {
    const server = await startHttpServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
      res.write('{"name":"ns/app","tags":["1.0');
      setTimeout(() => res.socket?.resetAndDestroy(), 20);
    });
    servers.push(server);
    const client = new Registry(server.host, { credentials: null, retry: FAST_RETRY });
    try {
      const error = await client
        .repository('ns/app')
        .tags()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'NETWORK_ERROR', kind: 'network', exitCode: 3 });
      expect((error as Error).message).toContain(`list tags of ${server.host}/ns/app`);
      expect(server.requests).toHaveLength(5); // asked again each time, up to the policy's tries
    } finally {
      await client.close();
    }
  });

  it('is asked for again, and one good answer is enough', async () => {
    const tags = '{"name":"ns/app","tags":["1.0.0","1.1.0"]}';
    const server = await startHttpServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(tags.length) });
      if (server.requests.length > 1) {
        res.end(tags);
        return;
      }
      res.write(tags.slice(0, 10));
      setTimeout(() => res.socket?.resetAndDestroy(), 20);
    });
    servers.push(server);
    const client = new Registry(server.host, { credentials: null, retry: FAST_RETRY });
    try {
      expect(await client.repository('ns/app').tags()).toEqual(['1.0.0', '1.1.0']);
      expect(server.requests).toHaveLength(2);
    } finally {
      await client.close();
    }
  });
});
