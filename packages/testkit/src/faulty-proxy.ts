import { request } from 'node:http';
import { type RecordedRequest, startHttpServer } from './http-server.js';

/** What the proxy answers instead of forwarding: the rate-limit and gateway errors of real deployments. */
export type InjectedFault = '429' | '502' | '503';

/**
 * How a forwarded blob download breaks half-way: `cut` resets the connection, `short` closes it
 * before the announced `Content-Length`, `stall` stops sending and keeps it open.
 */
export type BodyFault = 'cut' | 'short' | 'stall';

export interface FaultyProxy {
  /** `127.0.0.1:PORT`: point clients here instead of at the registry. */
  host: string;
  requests: RecordedRequest[];
  /** Every fault injected, in order, with the request it replaced. */
  injected: Array<{ fault: InjectedFault | BodyFault; method: string; url: string }>;
  close(): Promise<void>;
}

export interface FaultyProxyOptions {
  /** Share of requests faulted, 0–1 (default 0.2). */
  rate?: number;
  /** Seed of the fault sequence: the same seed faults the same requests (default 1). */
  seed?: number;
  faults?: InjectedFault[];
  /** Share of the forwarded blob GETs whose body breaks half-way (default 0). */
  bodyRate?: number;
  bodyFaults?: BodyFault[];
}

/** mulberry32: a small deterministic PRNG, so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A loopback proxy in front of a registry (`upstream` is `127.0.0.1:PORT`) that answers a seeded
 * share of requests with 429 (with `Retry-After`, in seconds or as an HTTP date), 502 or 503
 * without forwarding them, and forwards the rest unchanged (the `Host` header too, so the
 * registry's upload `Location`s point back at the proxy) — except a `bodyRate` share of blob
 * downloads, whose body it breaks half-way.
 */
export async function startFaultyProxy(
  upstream: string,
  options: FaultyProxyOptions = {},
): Promise<FaultyProxy> {
  const random = prng(options.seed ?? 1);
  const rate = options.rate ?? 0.2;
  const faults = options.faults ?? ['429', '502', '503'];
  const injected: FaultyProxy['injected'] = [];
  const [upHost, upPort] = upstream.split(':');
  const server = await startHttpServer((req, res) => {
    const roll = random();
    if (roll < rate) {
      const fault = faults[Math.floor((roll / rate) * faults.length)] ?? '503';
      injected.push({ fault, method: req.method ?? 'GET', url: req.url ?? '/' });
      req.resume(); // the request body is read and dropped: the registry never sees it
      if (fault === '429') {
        const retryAfter = injected.length % 2 === 0 ? '0' : new Date(Date.now() - 1000).toUTCString();
        res
          .writeHead(429, { 'retry-after': retryAfter, 'content-type': 'application/json' })
          .end('{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}');
      } else if (fault === '502') {
        res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502 Bad Gateway</h1>');
      } else {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('service unavailable');
      }
      return;
    }
    const blobGet = req.method === 'GET' && /\/blobs\/sha(256|512):/.test(req.url ?? '');
    const bodyRoll = blobGet ? random() : 1;
    const bodyRate = options.bodyRate ?? 0;
    const bodyFaults = options.bodyFaults ?? ['cut', 'short', 'stall'];
    const forward = request(
      { host: upHost, port: Number(upPort), method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        const length = Number(answer.headers['content-length']);
        if (bodyRoll >= bodyRate || !(length > 1)) {
          answer.pipe(res);
          return;
        }
        const fault = bodyFaults[Math.floor((bodyRoll / bodyRate) * bodyFaults.length)] ?? 'cut';
        injected.push({ fault, method: 'GET', url: req.url ?? '/' });
        const half = Math.floor(length / 2);
        let sent = 0;
        answer.on('data', (chunk: Buffer) => {
          if (sent >= half) return;
          const part = chunk.subarray(0, half - sent);
          sent += part.length;
          res.write(part);
          if (sent < half) return;
          answer.destroy();
          if (fault === 'cut') res.socket?.resetAndDestroy();
          else if (fault === 'short') res.socket?.end();
          // stall: the connection stays open and silent until the client gives up on it
        });
      },
    );
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  return { host: server.host, requests: server.requests, injected, close: () => server.close() };
}
