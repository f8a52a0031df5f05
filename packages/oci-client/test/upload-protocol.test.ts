import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { MediaTypes } from '@provisioning/schemas';
import { readBody, startHttpServer, type TestHttpServer } from '@provisioning/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { Registry } from '../src/index.js';
import { descriptorOf, FAST_RETRY } from './helpers.js';

const servers: TestHttpServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

/**
 * A spec-strict upload endpoint (Zot-like): relative `Location`s, `OCI-Chunk-Min-Length`,
 * `Content-Range` enforced (416 when not contiguous), optional single-POST support.
 */
async function strictUploadServer(options: { minChunk?: number; singlePost?: boolean } = {}) {
  const sessions = new Map<string, Buffer>();
  const blobs = new Map<string, Buffer>();
  const ranges: string[] = [];
  let next = 0;
  const server = await startHttpServer(async (req, res) => {
    const url = new URL(req.url!, 'http://x');
    const blobMatch = /^\/v2\/(.+)\/blobs\/(sha256:[0-9a-f]{64})$/.exec(url.pathname);
    if (req.method === 'HEAD' && blobMatch) {
      res.writeHead(blobs.has(blobMatch[2]!) ? 200 : 404).end();
      return;
    }
    if (req.method === 'POST' && /\/blobs\/uploads\/$/.test(url.pathname)) {
      const body = await readBody(req);
      const digest = url.searchParams.get('digest');
      if (options.singlePost && digest) {
        blobs.set(digest, body);
        res.writeHead(201, { location: `/v2/ns/app/blobs/${digest}` }).end();
        return;
      }
      const id = `s${next++}`;
      sessions.set(id, Buffer.alloc(0));
      const headers: Record<string, string> = {
        location: `/v2/ns/app/blobs/uploads/${id}?state=0`,
        range: '0-0',
      };
      if (options.minChunk) headers['oci-chunk-min-length'] = String(options.minChunk);
      res.writeHead(202, headers).end();
      return;
    }
    const sessionMatch = /\/blobs\/uploads\/(s\d+)$/.exec(url.pathname);
    if (sessionMatch && sessions.has(sessionMatch[1]!)) {
      const id = sessionMatch[1]!;
      const body = await readBody(req);
      const have = sessions.get(id)!;
      if (req.method === 'PATCH') {
        const range = String(req.headers['content-range']);
        ranges.push(range);
        const match = /^(\d+)-(\d+)$/.exec(range);
        if (
          !match ||
          Number(match[1]) !== have.length ||
          Number(match[2]) !== have.length + body.length - 1
        ) {
          res.writeHead(416).end();
          return;
        }
        sessions.set(id, Buffer.concat([have, body]));
        // Relative Location again, with a changed state parameter.
        res.writeHead(202, { location: `${id}?state=${have.length + body.length}` }).end();
        return;
      }
      if (req.method === 'PUT') {
        const all = Buffer.concat([have, body]);
        const digest = url.searchParams.get('digest')!;
        if (descriptorOf('x', all).digest !== digest) {
          res.writeHead(400).end('{"errors":[{"code":"DIGEST_INVALID","message":"digest mismatch"}]}');
          return;
        }
        blobs.set(digest, all);
        sessions.delete(id);
        res.writeHead(201, { location: `/v2/ns/app/blobs/${digest}` }).end();
        return;
      }
    }
    res.writeHead(404).end();
  });
  servers.push(server);
  return { server, blobs, ranges };
}

describe('upload protocol details', () => {
  it('honours OCI-Chunk-Min-Length, sends contiguous start-end ranges and follows relative Locations', async () => {
    const { server, blobs, ranges } = await strictUploadServer({ minChunk: 100_000 });
    const client = new Registry(server.host, {
      credentials: null,
      retry: FAST_RETRY,
      chunkSize: 16 * 1024,
      monolithicMaxBytes: 0,
    });
    try {
      const bytes = randomBytes(250_000);
      const desc = descriptorOf(MediaTypes.ociLayerTarGzip, bytes);
      expect(await client.repository('ns/app').pushBlob(desc, Readable.from([bytes]))).toBe('uploaded');
      expect(ranges).toEqual(['0-99999', '100000-199999', '200000-249999']);
      expect(blobs.get(desc.digest)?.equals(bytes)).toBe(true);
      // The relative `sN?state=…` was resolved against /v2/ns/app/blobs/uploads/…
      const puts = server.requests.filter((r) => r.method === 'PUT');
      expect(puts).toHaveLength(1);
      expect(puts[0]!.url).toMatch(/^\/v2\/ns\/app\/blobs\/uploads\/s0\?state=250000&digest=sha256%3A/);
    } finally {
      await client.close();
    }
  });

  it('uses a single POST ?digest= once probing found it supported', async () => {
    const { server, blobs } = await strictUploadServer({ singlePost: true });
    const client = new Registry(server.host, { credentials: null, retry: FAST_RETRY });
    try {
      const caps = await client.probeCapabilities('ns/app');
      expect(caps.singlePostUpload).toBe(true);
      const bytes = Buffer.from('single post body');
      const desc = descriptorOf(MediaTypes.ociLayerTar, bytes);
      const before = server.requests.length;
      expect(await client.repository('ns/app').pushBlob(desc, bytes)).toBe('uploaded');
      expect(server.requests.slice(before).map((r) => r.method)).toEqual(['HEAD', 'POST']);
      expect(blobs.get(desc.digest)?.equals(bytes)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('streams a blob above 64 MiB in one PUT by default: no PATCH chunks held in memory', async () => {
    const piece = Buffer.alloc(1024 * 1024, 7);
    const pieces = 65;
    const hash = createHash('sha256');
    for (let i = 0; i < pieces; i++) hash.update(piece);
    const desc = {
      mediaType: MediaTypes.ociLayerTar,
      digest: `sha256:${hash.digest('hex')}`,
      size: pieces * piece.length,
    };
    let received = 0;
    const server = await startHttpServer(async (req, res) => {
      if (req.method === 'HEAD') return void res.writeHead(404).end();
      if (req.method === 'POST')
        return void res.writeHead(202, { location: '/v2/ns/app/blobs/uploads/u1' }).end();
      if (req.method === 'PUT' && req.url?.startsWith('/v2/ns/app/blobs/uploads/u1?')) {
        for await (const chunk of req) received += (chunk as Buffer).length;
        return void res.writeHead(201).end();
      }
      res.writeHead(400).end();
    });
    servers.push(server);
    const client = new Registry(server.host, { credentials: null, retry: FAST_RETRY });
    try {
      const source = Readable.from(
        (function* () {
          for (let i = 0; i < pieces; i++) yield piece;
        })(),
      );
      expect(await client.repository('ns/app').pushBlob(desc, source)).toBe('uploaded');
      expect(server.requests.map((r) => r.method)).toEqual(['HEAD', 'POST', 'PUT']);
      expect(received).toBe(desc.size);
    } finally {
      await client.close();
    }
  });
});

describe('per-registry concurrency limit', () => {
  it('never has more requests in flight than `concurrency`', async () => {
    let inFlight = 0;
    let peak = 0;
    const server = await startHttpServer(async (_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 150));
      inFlight--;
      res.writeHead(404).end();
    });
    servers.push(server);
    const client = new Registry(server.host, { credentials: null, retry: FAST_RETRY, concurrency: 2 });
    try {
      const repo = client.repository('ns/app');
      const digests = Array.from({ length: 6 }, (_, i) => descriptorOf('x', Buffer.from(`blob ${i}`)).digest);
      expect(await Promise.all(digests.map((d) => repo.blobExists(d)))).toEqual(Array(6).fill(false));
      expect(server.requests).toHaveLength(6);
      expect(peak).toBe(2);
    } finally {
      await client.close();
    }
  });
});
