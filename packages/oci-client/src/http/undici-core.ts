/**
 * The two parts of undici the client uses: an `Agent` (connection pools per origin) and `request`.
 * undici's index also builds fetch, WebSocket, EventSource, the mock agents and the caches when it
 * is imported: ≈ 10 MB of resident memory and ≈ 40 ms in every process that talks to a registry
 * (docs/performance.md, "Memory"), for code the client never calls. Both modules are undici's own
 * CommonJS files; the version is pinned in package.json, and every transport test goes through them.
 */
import type { Dispatcher, Agent as UndiciAgent } from 'undici';
import requestModule from 'undici/lib/api/api-request.js';
import AgentModule from 'undici/lib/dispatcher/agent.js';

export const Agent = AgentModule as unknown as typeof UndiciAgent;
export type Agent = UndiciAgent;

type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Dispatcher };

/** undici's `request(url, options)`, bound to `options.dispatcher` (undici's own entry does the same). */
export function request(
  url: URL,
  { dispatcher, ...options }: RequestOptions,
): Promise<Dispatcher.ResponseData> {
  const send = requestModule as unknown as (
    this: Dispatcher,
    options: Dispatcher.RequestOptions,
  ) => Promise<Dispatcher.ResponseData>;
  return send.call(dispatcher, { ...options, origin: url.origin, path: `${url.pathname}${url.search}` });
}
