/**
 * The API gateway: a Hono app over the catalog, bound to loopback unless a bearer token guards it.
 * `createApiServer` builds the app (tests call `app.fetch`), `startApiServer` listens.
 */
import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { ProvisioningError, snakeCaseKeys } from '@provisioning/schemas';
import { type EffectiveConfig, openCatalogContext } from '@provisioning/workspace';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorResponse } from './api-error.js';
import { openApiDocument } from './openapi.js';
import { ROUTES, type RouteContext } from './routes.js';
import { serveStaticFile } from './static-files.js';

/** Largest request body accepted (then 413). */
export const MAX_BODY_BYTES = 64 * 1024;

export interface ApiServerOptions {
  /** Workspace directory (or any directory inside one); default the current directory. */
  workspace?: string;
  env?: NodeJS.ProcessEnv;
  /** Default 127.0.0.1; any other non-loopback host needs `tokenFile`. */
  host?: string;
  /** Default 7700; 0 picks a free port. */
  port?: number;
  /** File holding the bearer token every request must send. */
  tokenFile?: string;
  /** Directory of the control-center UI; default apps/control-center/dist when it exists; null: none. */
  uiDir?: string | null;
  /** The effective configuration to use (the CLI's, with its flags); default: loaded from `workspace`/`env`. */
  config?: EffectiveConfig;
  /** The running core version (the CLI's), reported by /api/v1/health and used by resolves. */
  version: string;
}

export interface ApiServer {
  app: Hono;
  /** Whether requests need `Authorization: Bearer`. */
  tokenRequired: boolean;
  uiDir: string | undefined;
  close(): Promise<void>;
}

export interface RunningApiServer extends ApiServer {
  url: string;
  host: string;
  port: number;
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !options.tokenFile) {
    throw new ProvisioningError(
      'API_TOKEN_REQUIRED',
      `binding ${host} exposes the API beyond this machine without a token`,
      {
        kind: 'usage',
        hint: 'pass --token-file FILE (clients then send its content as bearer token), or bind 127.0.0.1',
      },
    );
  }
  const token = options.tokenFile ? await readToken(options.tokenFile) : undefined;
  // outside a workspace the catalog still answers; workspace routes say where to start it
  const ctx: RouteContext = await openCatalogContext({
    coreVersion: options.version,
    server: 'the API gateway',
    ...(options.workspace ? { workspace: options.workspace } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.config ? { config: options.config } : {}),
  });
  const uiDir = options.uiDir === null ? undefined : (options.uiDir ?? defaultUiDir());
  const app = new Hono();

  app.onError((error, c) => errorResponse(c, error));
  app.use('/api/*', async (c, next) => {
    if (token && !bearerMatches(c.req.header('authorization'), token)) {
      return errorResponse(
        c,
        new ProvisioningError('API_UNAUTHORIZED', 'missing or wrong bearer token', {
          kind: 'usage',
          hint: 'send the content of the --token-file as bearer token in the Authorization header',
        }),
      );
    }
    await next();
  });
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        errorResponse(
          c,
          new ProvisioningError('API_BODY_TOO_LARGE', `request body exceeds ${MAX_BODY_BYTES} bytes`, {
            kind: 'usage',
            hint: 'send fewer modules per request',
          }),
        ),
    }),
  );
  app.get('/api/v1/health', (c) => c.json({ status: 'ok', version: options.version }));
  app.get('/openapi.json', (c) => c.json(openApiDocument(ROUTES, options.version)));
  for (const route of ROUTES) {
    app[route.method](route.path, async (c) => {
      const query = c.req.query();
      const path = route.path.endsWith('/*')
        ? decodeURIComponent(c.req.path.slice(route.path.length - 1))
        : undefined;
      let body: unknown;
      if (route.body) {
        body = await c.req.json().catch(() => {
          throw new ProvisioningError('API_REQUEST_INVALID', 'body: not a JSON document', {
            kind: 'usage',
            hint: 'send Content-Type: application/json with a JSON object',
          });
        });
      }
      const result = await route.handle(ctx, { query, ...(path !== undefined ? { path } : {}), body });
      // the extension manifest is the publisher's document: passed through as stored
      return c.json(snakeCaseKeys(result, { keep: ['manifest'] }) as object);
    });
  }
  app.all('/api/*', (c) =>
    errorResponse(
      c,
      new ProvisioningError('API_NOT_FOUND', `no API route ${c.req.method} ${c.req.path}`, {
        kind: 'input',
        hint: 'GET /openapi.json lists the routes',
      }),
    ),
  );
  app.get('*', async (c) => {
    const served = uiDir ? await serveStaticFile(uiDir, c.req.path) : undefined;
    return served ?? c.text('not found (no control-center UI directory)', 404);
  });

  return { app, tokenRequired: token !== undefined, uiDir, close: () => ctx.session.close() };
}

export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  const server = await createApiServer(options);
  const host = options.host ?? '127.0.0.1';
  const listening = await new Promise<ReturnType<typeof serve>>((resolvePromise, reject) => {
    const s = serve({ fetch: server.app.fetch, hostname: host, port: options.port ?? 7700 }, () =>
      resolvePromise(s),
    );
    s.once('error', reject);
  });
  const port = (listening.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    ...server,
    host,
    port,
    url: `http://${shown}:${port}`,
    close: async () => {
      await new Promise<void>((r) => listening.close(() => r()));
      await server.close();
    },
  };
}

async function readToken(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ProvisioningError(
      'TOKEN_FILE_UNREADABLE',
      `--token-file ${file} cannot be read (${error.code})`,
      {
        kind: 'input',
        hint: 'write the token into the file, e.g. openssl rand -hex 32 > FILE',
      },
    );
  });
  const token = text.trim();
  if (token === '') {
    throw new ProvisioningError('TOKEN_FILE_EMPTY', `--token-file ${file} is empty`, {
      kind: 'input',
      hint: 'write the token into the file, e.g. openssl rand -hex 32 > FILE',
    });
  }
  return token;
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!.trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** apps/control-center/dist next to this app in the repository, when it was built. */
function defaultUiDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidate = join(here, '..', '..', 'control-center', 'dist');
  return existsSync(join(candidate, 'index.html')) ? candidate : undefined;
}
