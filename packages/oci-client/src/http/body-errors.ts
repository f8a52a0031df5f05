import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { isNetworkFailure, networkError, type RequestContext } from './errors.js';
import { backoffDelay } from './retry.js';
import type { Transport } from './transport.js';

/** Errors that ended a response body in flight (the request itself had been answered). */
const bodyFailures = new WeakSet<object>();

/**
 * Make a response body fail the way the rest of the client does: undici ends a body that lost its
 * connection, stopped short of its `Content-Length` or stalled by destroying it with its own error
 * (`other side closed`, `Body Timeout Error`); those become the retryable `NETWORK_ERROR` naming the
 * request. Other errors (a consumer's disk error, our digest checks) pass unchanged.
 */
export function withNetworkErrors<T extends Readable>(body: T, ctx: RequestContext): T {
  const stream: Readable = body;
  const destroy = stream.destroy;
  stream.destroy = function (this: Readable, error?: Error) {
    if (error === undefined || !isNetworkFailure(error)) return destroy.call(this, error);
    const mapped = networkError(error, ctx);
    bodyFailures.add(mapped);
    return destroy.call(this, mapped);
  };
  return body;
}

/**
 * Run a small exchange (a manifest, a page of tags) again when its response body broke off: the
 * transport retried the request up to its headers, this covers what came after. Failures before
 * the headers are not retried again here; they already spent the transport's tries and deadline.
 */
export async function withBodyRetries<T>(transport: Transport, exchange: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await exchange();
    } catch (error) {
      const broken = error instanceof Error && bodyFailures.has(error);
      if (!broken || attempt + 1 >= transport.policy.maxTries) throw error;
      const delay = backoffDelay(transport.policy, attempt);
      transport.debug(`retry after a broken response body in ${Math.round(delay)} ms (${error.message})`);
      await sleep(delay);
    }
  }
}
