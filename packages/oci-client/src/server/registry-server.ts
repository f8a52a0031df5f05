/**
 * The built-in registry: a distribution-spec server on node:http over a `LayoutStore` (one OCI
 * layout per repository). No auth; loopback by default. Good enough for skopeo, oras and our own
 * client, so the `oci-registry start` command and tests need no external registry.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LayoutStore } from '../layout/layout-store.js';
import { deleteBlob, getBlob } from './blobs.js';
import { checkName, type Exchange, json, type ServerContext } from './context.js';
import { HttpProblem, sendProblem, toHttpProblem } from './http-problem.js';
import { getCatalog, getTags } from './listings.js';
import { deleteManifest, getManifest, putManifest } from './manifests.js';
import { getReferrers, ReferrersIndex } from './referrers.js';
import { matchRoute } from './routes.js';
import { UploadSessions } from './upload-sessions.js';
import { cancelUpload, patchUpload, putUpload, startUpload, uploadStatus } from './uploads.js';

export interface RegistryServerOptions {
  /** `LayoutStore` root holding the repositories. */
  root: string;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port; 0 picks a free one. */
  port: number;
}

export interface RunningRegistryServer {
  /** `http://host:port`, no trailing slash. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startRegistryServer(options: RegistryServerOptions): Promise<RunningRegistryServer> {
  const host = options.host ?? '127.0.0.1';
  const ctx: ServerContext = {
    store: new LayoutStore(options.root),
    uploads: new UploadSessions(),
    referrers: new ReferrersIndex(),
  };
  const server = createServer((req, res) => {
    void handle(ctx, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await ctx.uploads.closeAll();
    },
  };
}

async function handle(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
  const head = req.method === 'HEAD';
  try {
    const url = new URL(req.url ?? '/', 'http://registry.invalid');
    const ex: Exchange = { req, res, url, head };
    await dispatch(ctx, ex, req.method ?? 'GET');
  } catch (error) {
    sendProblem(res, toHttpProblem(error), head);
  }
}

async function dispatch(ctx: ServerContext, ex: Exchange, method: string): Promise<void> {
  const route = matchRoute(ex.url.pathname);
  if (!route) throw new HttpProblem(404, 'NOT_FOUND', `no such endpoint ${ex.url.pathname.slice(0, 200)}`);
  const read = method === 'GET' || method === 'HEAD';
  if ('name' in route) checkName(route.name);
  switch (route.kind) {
    case 'base':
      if (read) return json(ex, 200, {});
      break;
    case 'catalog':
      if (read) return getCatalog(ctx, ex);
      break;
    case 'tags':
      if (read) return getTags(ctx, ex, route.name);
      break;
    case 'manifest':
      if (read) return getManifest(ctx, ex, route.name, route.reference);
      if (method === 'PUT') return putManifest(ctx, ex, route.name, route.reference);
      if (method === 'DELETE') return deleteManifest(ctx, ex, route.name, route.reference);
      break;
    case 'blob':
      if (read) return getBlob(ctx, ex, route.name, route.digest);
      if (method === 'DELETE') return deleteBlob(ctx, ex, route.name, route.digest);
      break;
    case 'upload-start':
      if (method === 'POST') return startUpload(ctx, ex, route.name);
      break;
    case 'upload':
      if (method === 'PATCH') return patchUpload(ctx, ex, route.name, route.uuid);
      if (method === 'PUT') return putUpload(ctx, ex, route.name, route.uuid);
      if (method === 'GET') return uploadStatus(ctx, ex, route.name, route.uuid);
      if (method === 'DELETE') return cancelUpload(ctx, ex, route.name, route.uuid);
      break;
    case 'referrers':
      if (read) return getReferrers(ctx, ex, route.name, route.digest);
      break;
  }
  throw new HttpProblem(405, 'UNSUPPORTED', `${method} is not supported on ${ex.url.pathname.slice(0, 200)}`);
}
