import { timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ProvisioningError } from '@provisioning/schemas';
import { openCatalogContext } from './catalog-context.js';
import { createMcpServer, type McpServerOptions } from './create-server.js';

export interface HttpOptions extends McpServerOptions {
  /** Default 127.0.0.1; anything that is not loopback needs `tokenFile`. */
  host?: string;
  /** Default 0: a free port (see the returned `url`). */
  port?: number;
  /** A file holding the bearer token every request must send. */
  tokenFile?: string;
}

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

async function readToken(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ProvisioningError('TOKEN_FILE_UNREADABLE', `--token-file ${file} cannot be read`);
  }
  const token = text.trim();
  if (token === '') throw new ProvisioningError('TOKEN_FILE_EMPTY', `--token-file ${file} is empty`);
  return token;
}

function authorised(request: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const sent = Buffer.from(request.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

/**
 * Streamable HTTP at `/mcp` (and `GET /health`, without a token, for liveness probes), stateless: each POST gets a fresh server and transport, so no session
 * state is kept between requests (every tool is a single call). Loopback by default; another bind
 * address without a token is refused before listening (MCP_TOKEN_REQUIRED).
 */
export async function startHttpServer(options: HttpOptions = {}): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host) && options.tokenFile === undefined) {
    throw new ProvisioningError('MCP_TOKEN_REQUIRED', `--host ${host} is not a loopback address`, {
      hint: 'pass --token-file FILE (clients must then send that token as a bearer token), or bind to 127.0.0.1',
    });
  }
  const token = options.tokenFile === undefined ? undefined : await readToken(options.tokenFile);
  const catalog = await openCatalogContext(
    options.workspace ?? process.cwd(),
    options.version ?? '0.0.0',
    options.config,
  );
  const http: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://local').pathname;
    // for container liveness probes, which carry no token: says nothing but that it serves
    if (path === '/health' && request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (path !== '/mcp') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found: use /mcp"}');
      return;
    }
    if (!authorised(request, token)) {
      response
        .writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' })
        .end('{"error":{"code":"UNAUTHORIZED","message":"send Authorization: Bearer TOKEN"}}');
      return;
    }
    const server = createMcpServer(catalog, options);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    server
      .connect(transport)
      .then(() => transport.handleRequest(request, response))
      .catch(() => {
        if (!response.headersSent) response.writeHead(500).end();
      });
  });
  await new Promise<void>((done, fail) => {
    http.once('error', fail);
    http.listen(options.port ?? 0, host, () => done());
  });
  const { port } = http.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/mcp`,
    close: () =>
      new Promise<void>((done) => {
        http.close(() => {
          void catalog.session.close();
          done();
        });
        http.closeAllConnections();
      }),
  };
}
