import { isValidDigest } from '@provisioning/schemas';
import type { RequestContext } from '../http/errors.js';
import type { Transport } from '../http/transport.js';

/** Shared state of one repository on one registry, passed to the operation modules. */
export interface RepositoryContext {
  transport: Transport;
  /** `http(s)://host` */
  baseUrl: URL;
  host: string;
  name: string;
  capabilities: Capabilities;
  /** Chunk size for chunked uploads (bytes). */
  chunkSize: number;
  /** Blobs up to this size (and of known size) go up in one PUT. */
  monolithicMaxBytes: number;
}

/** What we learned about a registry; `undefined` means not probed yet. */
export interface Capabilities {
  referrersApi?: boolean;
  singlePostUpload?: boolean;
  mount?: boolean;
}

export function apiUrl(ctx: RepositoryContext, path: string): URL {
  return new URL(`/v2/${ctx.name}/${path}`, ctx.baseUrl);
}

export function pullScopes(ctx: RepositoryContext): string[] {
  return [`repository:${ctx.name}:pull`];
}

export function pushScopes(ctx: RepositoryContext): string[] {
  return [`repository:${ctx.name}:pull,push`];
}

/** `host/name:tag` or `host/name@sha256:…` for messages. */
export function describeRef(ctx: RepositoryContext, reference?: string): string {
  const base = `${ctx.host}/${ctx.name}`;
  if (reference === undefined) return base;
  return isValidDigest(reference) ? `${base}@${reference}` : `${base}:${reference}`;
}

export function requestContext(ctx: RepositoryContext, operation: string, target?: string): RequestContext {
  return {
    host: ctx.host,
    operation,
    reference: describeRef(ctx, target),
    repository: ctx.name,
    ...(target === undefined ? {} : { target }),
  };
}
