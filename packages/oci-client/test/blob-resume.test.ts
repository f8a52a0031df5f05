/**
 * Body-phase network failures of a blob download (docs/oci.md, "Timeouts and retries"): a loopback
 * proxy in front of real Distribution cuts, shortens or stalls response bodies; the download
 * resumes (Range where the registry answers 206, the whole blob again otherwise) and the digest
 * check covers the joined bytes.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  type RunningDistribution,
  startDistribution,
  startHttpServer,
  type TestHttpServer,
} from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry, type RetryPolicy } from '../src/index.js';
import { extensionArtifact, FAST_RETRY, pushArtifact, readAll } from './helpers.js';

let registry: RunningDistribution;
const servers: TestHttpServer[] = [];
const layer = Buffer.alloc(600_000);
for (let i = 0; i < layer.length; i++) layer[i] = (i * 31 + (i >> 9)) & 0xff;
const art = extensionArtifact('resume', '1.0.0', layer);

beforeAll(async () => {
  registry = await startDistribution();
  const client = new Registry(registry.host, { credentials: null });
  await pushArtifact(client.repository('ns/resume'), art, '1.0.0');
  await client.close();
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await registry?.stop();
});

/**
 * How the proxy breaks blob GETs, one entry per request in turn (later ones pass): `cut` sends the
 * headers and part of the body, then resets; `short` announces the full length and closes early;
 * `stall` stops sending with the connection open; `empty` resets right after the headers. `noRange` strips the Range header (a registry that
 * only answers 200).
 */
type BodyFault = 'cut' | 'short' | 'stall' | 'empty';

interface FaultyBlobProxy extends TestHttpServer {
  ranges: (string | undefined)[];
}

async function blobProxy(faults: BodyFault[], options: { noRange?: boolean } = {}): Promise<FaultyBlobProxy> {
  const ranges: (string | undefined)[] = [];
  const proxy = await startHttpServer((req: IncomingMessage, res: ServerResponse) => {
    const isBlob = req.method === 'GET' && /\/blobs\/sha256:/.test(req.url ?? '');
    const headers = { ...req.headers };
    if (isBlob) {
      ranges.push(headers.range);
      if (options.noRange) delete headers.range;
    }
    const fault = isBlob ? faults.shift() : undefined;
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: Number(registry.host.split(':')[1]),
        method: req.method,
        path: req.url,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (fault === undefined) {
          answer.pipe(res);
          return;
        }
        if (fault === 'empty') {
          answer.destroy();
          res.flushHeaders();
          setTimeout(() => res.socket?.resetAndDestroy(), 20);
          return;
        }
        let sent = 0;
        answer.on('data', (chunk: Buffer) => {
          if (sent >= 100_000) return;
          const part = chunk.subarray(0, 100_000 - sent);
          sent += part.length;
          res.write(part);
          if (sent < 100_000) return;
          answer.destroy();
          if (fault === 'cut') res.socket?.resetAndDestroy();
          if (fault === 'short') res.socket?.end();
          // 'stall': leave the connection open and silent
        });
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  servers.push(proxy);
  return Object.assign(proxy, { ranges });
}

async function pullLayer(host: string, retry: Partial<RetryPolicy> = FAST_RETRY): Promise<Buffer> {
  const client = new Registry(host, { credentials: null, retry, timeouts: { idle: 300 } });
  try {
    return await readAll(await client.repository('ns/resume').fetchBlob(art.layerDesc));
  } finally {
    await client.close();
  }
}

describe('a blob download whose body breaks off', () => {
  it('resumes with Range after a reset, a short body and a stall, and the bytes verify', async () => {
    const proxy = await blobProxy(['cut', 'short', 'stall']);
    const bytes = await pullLayer(proxy.host);
    expect(bytes.equals(layer)).toBe(true);
    // Each attempt asked for the rest only (Distribution answers 206), from further on each time.
    expect(proxy.ranges).toHaveLength(4);
    expect(proxy.ranges[0]).toBeUndefined();
    const offsets = proxy.ranges.slice(1).map((r) => Number(/^bytes=(\d+)-$/.exec(r ?? '')?.[1]));
    expect(offsets.every((o, i) => o > (offsets[i - 1] ?? 0) && o <= 100_000 * (i + 1))).toBe(true);
  });

  it('starts over and skips what it had where the registry ignores Range', async () => {
    const proxy = await blobProxy(['cut', 'short'], { noRange: true });
    const bytes = await pullLayer(proxy.host);
    expect(bytes.equals(layer)).toBe(true);
    expect(proxy.ranges).toHaveLength(3);
  });

  it('gives up with a retryable NETWORK_ERROR (exit 3), never an internal error', async () => {
    // Progress resets the count; two answers in a row without a byte end it.
    const proxy = await blobProxy(['cut', 'empty', 'empty', 'empty']);
    const error = await pullLayer(proxy.host, { ...FAST_RETRY, maxTries: 2 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', kind: 'network', retryable: true, exitCode: 3 });
    expect((error as Error).message).toContain(`fetch blob ${proxy.host}/ns/resume@${art.layerDesc.digest}`);
    expect((error as Error).message).toContain('connection');
    expect(proxy.ranges).toHaveLength(3);
  });

  it('a resumed stream that joins different content is refused by the digest check', async () => {
    // The first answer is the real blob cut short; the resume serves other bytes of the right size.
    const other = Buffer.alloc(layer.length, 1);
    let calls = 0;
    const liar = await startHttpServer((req, res) => {
      req.resume();
      calls++;
      if (calls === 1) {
        res.writeHead(200, { 'content-length': String(layer.length) });
        res.write(layer.subarray(0, 100_000));
        setTimeout(() => res.socket?.resetAndDestroy(), 20);
        return;
      }
      res.writeHead(200, { 'content-length': String(other.length) }).end(other);
    });
    servers.push(liar);
    const error = await pullLayer(liar.host).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DIGEST_MISMATCH' });
    expect(calls).toBe(2);
  });
});
