import { pipeline, Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { rootCertificates } from 'node:tls';
import { ProvisioningError } from '@provisioning/schemas';
import type { Dispatcher } from 'undici';
import { readCappedBytes } from '../read-capped.js';
import { withNetworkErrors } from './body-errors.js';
import { Deadline, DeadlineExceeded } from './deadline.js';
import {
  isCertificateFailure,
  networkError,
  RegistryError,
  type RequestContext,
  registryErrorFromResponse,
} from './errors.js';
import { Limiter } from './limiter.js';
import { originOf } from './origin.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy } from './retry.js';
import { httpsToHttpServer, httpToHttpsServer } from './scheme-mismatch.js';
import { Agent, request } from './undici-core.js';
import { defaultUserAgent } from './user-agent.js';

/** A function body is a source that can be read again: it is called once per attempt. */
export type RequestBody = Uint8Array | string | Readable | (() => Readable | Promise<Readable>);

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  /** A function body is called again for each attempt, which makes streamed bodies replayable. */
  body?: RequestBody;
  /** Token scopes the request needs (`repository:ns/name:pull`). */
  scopes?: readonly string[];
  ctx: RequestContext;
  /** Follow redirects (default: GET and HEAD only). */
  followRedirects?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** URL that answered (after redirects). */
  url: URL;
  body: Dispatcher.ResponseData['body'];
}

/**
 * What the transport asks of authentication (the auth folder's `Authenticator` is one): the
 * `Authorization` header for a request, and the answer to a `401` challenge. Declared here so
 * the HTTP layer depends on nothing above it.
 */
export interface RequestAuthorizer {
  headerFor(scopes: readonly string[]): Promise<string | undefined>;
  respondTo(
    wwwAuthenticate: string | string[] | undefined,
    scopes: readonly string[],
  ): Promise<string | undefined>;
}

export interface TransportOptions {
  /** Registry origin: the only origin that gets credentials and custom headers. */
  origin: string;
  authenticator?: RequestAuthorizer;
  /** Extra headers for the registry origin only (oras GHSA-whvf-jp7m-59f3). */
  headers?: Record<string, string>;
  userAgent?: string;
  /** Skip TLS verification (`--insecure`). */
  insecure?: boolean;
  /** A private CA and a client certificate for mutual TLS (`--ca-file`, `--cert-file`, `--key-file`). */
  tls?: TlsMaterial;
  retry?: Partial<RetryPolicy>;
  /** Concurrent requests to this registry (default 5). */
  concurrency?: number;
  /** Debug lines: method, origin + path, status — never headers or query strings. */
  debug?: (line: string) => void;
  dispatcher?: Dispatcher;
  maxRedirects?: number;
  /** How long a silent registry may keep a request waiting (docs/oci.md, "Timeouts and retries"). */
  timeouts?: Partial<TransportTimeouts>;
  /**
   * Told once, when a request has waited `noticeAfterMs` for its response headers, what it waits
   * for (`waiting for HOST (GET /v2/…)…`): the CLI shows it on a terminal.
   */
  notice?: (line: string) => void;
  /** Default: 5 s, or half the response budget when that is shorter. */
  noticeAfterMs?: number;
}

export interface TransportTimeouts {
  /** TCP + TLS connect of one attempt. */
  connect: number;
  /**
   * Budget of a request up to its response headers, in total across its retries and back-off.
   * Every chunk of a request body that goes out restarts it, so uploads making progress go on.
   */
  response: number;
  /** Longest silence inside a response body: a stalled download fails, a slow one goes on. */
  idle: number;
}

export const DEFAULT_TIMEOUTS: TransportTimeouts = { connect: 10_000, response: 60_000, idle: 60_000 };

/** Buffers larger than this go out in slices, so their progress restarts the deadline. */
const SLICE_BYTES = 256 * 1024;

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const REDIRECT = new Set([301, 302, 303, 307, 308]);
const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);

function header(headers: HttpResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export { header as responseHeader };

/** PEM contents: `ca` is trusted besides the system's roots; `cert` + `key` are presented to the server. */
export interface TlsMaterial {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
}

function createAgent(insecure: boolean, timeouts: TransportTimeouts, tls: TlsMaterial = {}): Agent {
  return new Agent({
    connect: {
      rejectUnauthorized: !insecure,
      timeout: Math.min(timeouts.connect, timeouts.response),
      // a private CA adds to Node's roots instead of replacing them
      ...(tls.ca ? { ca: [...rootCertificates, tls.ca.toString()] } : {}),
      ...(tls.cert ? { cert: tls.cert } : {}),
      ...(tls.key ? { key: tls.key } : {}),
    },
    // The response deadline (a signal per request) bounds the wait for headers; see `Deadline`.
    headersTimeout: 0,
    bodyTimeout: timeouts.idle,
    keepAliveTimeout: 10_000,
    connections: 16,
  });
}

/** undici's answer to a request on a dispatcher that was closed or destroyed. */
function dispatcherClosed(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_CLOSED' || code === 'UND_ERR_DESTROYED';
}

/**
 * The HTTP layer for one registry: undici Agent without automatic redirects (we follow them and
 * drop credentials on origin change), auth challenges answered once per request, retries with
 * jittered exponential backoff for connection errors, 5xx and 429 (honouring `Retry-After`) when the
 * request is idempotent or its body can be replayed, and a per-registry concurrency limiter.
 */
export class Transport {
  readonly origin: string;
  readonly policy: RetryPolicy;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly limiter: Limiter;
  readonly timeouts: TransportTimeouts;
  private noticed = false;

  constructor(private readonly options: TransportOptions) {
    this.origin = originOf(options.origin);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ?? createAgent(options.insecure === true, this.timeouts, options.tls);
    this.limiter = new Limiter(options.concurrency ?? 5);
  }

  /** A debug line (`--debug`), for the operations built on this transport. */
  debug(line: string): void {
    this.options.debug?.(line);
  }

  get authenticator(): RequestAuthorizer | undefined {
    return this.options.authenticator;
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** Send a request; the response body must be consumed or dumped by the caller. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    // The slot covers the exchange up to the response headers (uploads: the whole body). Holding it
    // while a caller streams a download could deadlock a copy that pulls and pushes through one registry.
    return this.limiter.run(() => this.sendWithRetries(req));
  }

  /** Send, and turn any status outside `ok` into a `RegistryError` (body read for the message). */
  async expect(req: HttpRequest, ok: readonly number[]): Promise<HttpResponse> {
    const res = await this.send(req);
    if (ok.includes(res.status)) return res;
    throw await this.errorFrom(res, req.ctx);
  }

  async errorFrom(res: HttpResponse, ctx: RequestContext): Promise<RegistryError> {
    const text = await readCapped(res.body, 64 * 1024).catch(() => '');
    return httpToHttpsServer(res, text, ctx) ?? registryErrorFromResponse(res.status, text, ctx);
  }

  /** Requests to a token realm: retried like any other, never given registry credentials. */
  async fetchToken(
    url: URL,
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  ): Promise<{ status: number; text: string }> {
    const res = await this.sendWithRetries(
      {
        method: init.method,
        url,
        headers: init.headers,
        body: init.body,
        ctx: { host: url.host, operation: 'get token from' },
        followRedirects: false,
      },
      // The authenticator already decided (checkRealm) whether credentials may go to this realm.
      { anonymous: true, realmHeaders: true },
    );
    return { status: res.status, text: await readCapped(res.body, 1024 * 1024) };
  }

  private replayable(body: RequestBody | undefined): boolean {
    return (
      body === undefined ||
      typeof body === 'string' ||
      body instanceof Uint8Array ||
      typeof body === 'function'
    );
  }

  private async sendWithRetries(
    req: HttpRequest,
    mode: { anonymous?: boolean; realmHeaders?: boolean } = {},
  ): Promise<HttpResponse> {
    const canReplay = this.replayable(req.body);
    const deadline = new Deadline(this.timeouts.response);
    const clearNotice = this.scheduleNotice(req);
    try {
      for (let attempt = 0; ; attempt++) {
        let res: HttpResponse;
        try {
          res = await this.sendFollowingRedirects(req, mode, attempt, deadline);
        } catch (error) {
          if (error instanceof ProvisioningError) throw error;
          if (error instanceof DeadlineExceeded) throw networkError(error, req.ctx);
          // HTTPS to a plain-HTTP server, or an untrusted certificate, fails the same way every
          // time: no retry (docs/oci.md, "TLS and plain HTTP").
          const mismatch = httpsToHttpServer(error, req.ctx);
          if (mismatch !== undefined) throw mismatch;
          if (isCertificateFailure(error)) throw networkError(error, req.ctx);
          // A closed client fails every attempt at once: retrying would only hold the caller (and the
          // process, e.g. after a failed solve left prefetches running) for the whole backoff.
          const retry =
            !dispatcherClosed(error) &&
            ((canReplay && IDEMPOTENT.has(req.method)) || (canReplay && req.body === undefined));
          const delay = backoffDelay(this.policy, attempt);
          if (retry && attempt + 1 < this.policy.maxTries && delay < deadline.remaining()) {
            this.options.debug?.(
              `retry ${req.method} ${safeUrl(req.url)} after connection error in ${Math.round(delay)} ms`,
            );
            await sleep(delay);
            continue;
          }
          throw networkError(error, req.ctx);
        }
        if (RETRY_STATUS.has(res.status) && canReplay && attempt + 1 < this.policy.maxTries) {
          const retryAfter = parseRetryAfter(header(res.headers, 'retry-after'));
          const delay =
            retryAfter !== undefined
              ? Math.min(retryAfter, this.policy.maxRetryAfterMs)
              : backoffDelay(this.policy, attempt);
          // A wait past the deadline would only delay the same answer.
          if (delay < deadline.remaining()) {
            this.options.debug?.(
              `retry ${req.method} ${safeUrl(req.url)} after HTTP ${res.status} in ${Math.round(delay)} ms`,
            );
            await res.body.dump().catch(() => undefined);
            await sleep(delay);
            continue;
          }
        }
        return res;
      }
    } finally {
      clearNotice();
    }
  }

  /** After `noticeAfterMs` without response headers, say once what we are waiting for. */
  private scheduleNotice(req: HttpRequest): () => void {
    const notice = this.options.notice;
    if (notice === undefined || this.noticed) return () => undefined;
    const timer = setTimeout(
      () => {
        if (this.noticed) return;
        this.noticed = true;
        notice(`waiting for ${req.url.host} (${req.method} ${req.url.pathname})…`);
      },
      this.options.noticeAfterMs ?? Math.min(5000, this.timeouts.response / 2),
    );
    timer.unref();
    return () => clearTimeout(timer);
  }

  /** The body of one attempt: function bodies are opened again, and what streams out counts as progress. */
  private async bodyFor(
    body: RequestBody | undefined,
    deadline: Deadline,
  ): Promise<string | Uint8Array | Readable | undefined> {
    if (body === undefined || typeof body === 'string') return body;
    if (body instanceof Uint8Array) {
      if (body.length <= SLICE_BYTES) return body;
      return metered(Readable.from(slices(body), { objectMode: false }), deadline);
    }
    return metered(typeof body === 'function' ? await body() : body, deadline);
  }

  private async sendFollowingRedirects(
    req: HttpRequest,
    mode: { anonymous?: boolean; realmHeaders?: boolean },
    attempt: number,
    deadline: Deadline,
  ): Promise<HttpResponse> {
    let url = req.url;
    let method = req.method;
    let body = req.body;
    let challenged = false;
    const follow = req.followRedirects ?? (req.method === 'GET' || req.method === 'HEAD');
    const maxRedirects = this.options.maxRedirects ?? 10;
    for (let redirects = 0; ; ) {
      const onRegistry = !mode.anonymous && originOf(url) === this.origin;
      const headers: Record<string, string> = {
        'user-agent': this.options.userAgent ?? defaultUserAgent(),
      };
      if (onRegistry) Object.assign(headers, this.options.headers);
      Object.assign(headers, req.headers);
      if (!onRegistry && !mode.realmHeaders) {
        // Caller headers may carry credentials too; only content negotiation crosses origins.
        for (const name of Object.keys(headers)) {
          if (
            !['user-agent', 'accept', 'content-type', 'content-length', 'range'].includes(name.toLowerCase())
          ) {
            delete headers[name];
          }
        }
      }
      if (onRegistry && this.options.authenticator) {
        const auth = await this.options.authenticator.headerFor(req.scopes ?? []);
        if (auth !== undefined) headers.authorization = auth;
      }
      const started = Date.now();
      const armed = deadline.arm();
      let raw: Dispatcher.ResponseData;
      try {
        raw = await request(url, {
          method,
          headers,
          body: await this.bodyFor(body, deadline),
          dispatcher: this.dispatcher,
          signal: armed.signal,
          // undici closes the connection after every HEAD (for servers that wrongly send a body);
          // registries answer HEAD correctly, and a copy asks one per blob: keep the connection.
          ...(method === 'HEAD' ? { reset: false } : {}),
        });
      } finally {
        // Headers are in (or the attempt failed): the body has its idle timeout, not this deadline.
        armed.disarm();
      }
      const res: HttpResponse = {
        status: raw.statusCode,
        headers: raw.headers,
        url,
        body: withNetworkErrors(raw.body, req.ctx),
      };
      this.options.debug?.(
        `${method} ${safeUrl(url)} → ${res.status} (${Date.now() - started} ms${attempt > 0 ? `, attempt ${attempt + 1}` : ''})`,
      );

      if (res.status === 401 && onRegistry && !challenged && this.options.authenticator) {
        const replay = this.replayable(body);
        const auth = await this.options.authenticator.respondTo(
          header(res.headers, 'www-authenticate') ?? res.headers['www-authenticate'],
          req.scopes ?? [],
        );
        if (auth !== undefined && replay) {
          await res.body.dump().catch(() => undefined);
          challenged = true;
          continue;
        }
        return res;
      }

      if (follow && REDIRECT.has(res.status)) {
        const location = header(res.headers, 'location');
        if (location === undefined) return res;
        await res.body.dump().catch(() => undefined);
        const next = new URL(location, url);
        if (url.protocol === 'https:' && next.protocol !== 'https:') {
          throw new RegistryError(
            'REDIRECT_REFUSED',
            `${req.ctx.operation} ${req.ctx.reference ?? req.ctx.host}: refusing redirect from HTTPS to ${next.protocol.replace(':', '')} (${next.host})`,
            {
              hint: 'the registry or a proxy downgraded the connection; check the registry address',
              details: { ...req.ctx, redirect: next.origin },
            },
          );
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          throw new RegistryError(
            'REDIRECT_REFUSED',
            `${req.ctx.operation} ${req.ctx.reference ?? req.ctx.host}: refusing redirect to a ${next.protocol} URL`,
            {
              hint: 'the registry sent an invalid redirect; report it to its operator',
              details: { ...req.ctx },
            },
          );
        }
        if (++redirects > maxRedirects) {
          throw new RegistryError(
            'TOO_MANY_REDIRECTS',
            `${req.ctx.operation} ${req.ctx.reference ?? req.ctx.host}: more than ${maxRedirects} redirects`,
            {
              hint: 'the registry is redirecting in a loop; report it to its operator',
              details: { ...req.ctx },
            },
          );
        }
        if (res.status === 303) {
          method = method === 'HEAD' ? 'HEAD' : 'GET';
          body = undefined;
        }
        url = next;
        continue;
      }
      return res;
    }
  }
}

function metered(stream: Readable, deadline: Deadline): Readable {
  const meter = deadline.meter();
  pipeline(stream, meter, () => undefined); // a failing source fails the request through `meter`
  return meter;
}

function* slices(bytes: Uint8Array): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += SLICE_BYTES) {
    yield Buffer.from(bytes.buffer, bytes.byteOffset + offset, Math.min(SLICE_BYTES, bytes.length - offset));
  }
}

/** Origin and path only: query strings (upload state, signed URLs) stay out of logs. */
export function safeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** Read a small body as text, refusing more than `max` bytes. */
export async function readCapped(body: Readable, max: number): Promise<string> {
  return (await readCappedBytes(body, max)).toString('utf8');
}

export { readCappedBytes };
