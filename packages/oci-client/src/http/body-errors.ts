import type { Readable } from 'node:stream';
import { isNetworkFailure, networkError, type RequestContext } from './errors.js';

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
    return destroy.call(
      this,
      error !== undefined && isNetworkFailure(error) ? networkError(error, ctx) : error,
    );
  };
  return body;
}
