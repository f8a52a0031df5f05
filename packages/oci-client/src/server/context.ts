import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LayoutStore } from '../layout/layout-store.js';
import { isValidRepositoryName } from '../layout/layout-store.js';
import type { OciLayout } from '../layout/oci-layout.js';
import { HttpProblem } from './http-problem.js';
import type { ReferrersIndex } from './referrers.js';
import type { UploadSessions } from './upload-sessions.js';

export interface ServerContext {
  store: LayoutStore;
  uploads: UploadSessions;
  referrers: ReferrersIndex;
}

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  head: boolean;
}

export function checkName(name: string): void {
  if (!isValidRepositoryName(name)) {
    throw new HttpProblem(
      400,
      'NAME_INVALID',
      `invalid repository name ${JSON.stringify(name.slice(0, 300))}`,
    );
  }
}

/** The repository's layout, or NAME_UNKNOWN when nothing was ever pushed to it. */
export async function existingRepository(ctx: ServerContext, name: string): Promise<OciLayout> {
  checkName(name);
  if (!(await ctx.store.has(name)))
    throw new HttpProblem(404, 'NAME_UNKNOWN', `repository ${name} not known to registry`);
  return ctx.store.repository(name, { create: false });
}

export async function writableRepository(ctx: ServerContext, name: string): Promise<OciLayout> {
  checkName(name);
  return ctx.store.repository(name, { create: true });
}

/** Send a response without a body (or a small JSON / bytes body). */
export function reply(
  ex: Exchange,
  status: number,
  headers: Record<string, string | number>,
  body?: Uint8Array | string,
): void {
  const bytes = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
  // 204 carries no Content-Length (RFC 9110 §8.6).
  const length = status === 204 ? {} : { 'Content-Length': headers['Content-Length'] ?? bytes?.length ?? 0 };
  ex.res.writeHead(status, { ...headers, ...length });
  ex.res.end(ex.head ? undefined : bytes);
}

export function json(
  ex: Exchange,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  reply(ex, status, { 'Content-Type': 'application/json', ...headers }, JSON.stringify(value));
}
