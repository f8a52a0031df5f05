import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createTokenIssuer } from './token-issuer.js';

export interface RecordedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingMessage['headers'];
}

export type TestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface TestHttpServer {
  /** `127.0.0.1:PORT` */
  host: string;
  port: number;
  /** `http://127.0.0.1:PORT` (or `https://` with `tls`) */
  url: string;
  server: Server;
  /** PEM of the self-signed certificate when started with `tls`. */
  certPem?: string;
  /** Every request seen, in order (method, url, headers). */
  requests: RecordedRequest[];
  /** Stop listening and drop open connections. */
  close(): Promise<void>;
}

/**
 * A small HTTP server on a free loopback port for hostile or faulty registry behaviour. The
 * handler may destroy `req.socket` to simulate a reset connection. Handler exceptions answer 500.
 * With `tls`, it serves HTTPS with a fresh self-signed certificate.
 */
export async function startHttpServer(
  handler: TestHandler,
  options: { tls?: boolean } = {},
): Promise<TestHttpServer> {
  const requests: RecordedRequest[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
  };
  let certPem: string | undefined;
  let server: Server;
  if (options.tls) {
    // Self-signed and untrusted: clients must opt out of verification (`insecure`).
    const issuer = createTokenIssuer('127.0.0.1');
    certPem = issuer.certPem;
    const key = issuer.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    server = createHttpsServer({ key, cert: certPem }, listener) as unknown as Server;
  } else {
    server = createServer(listener);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('test server has no port');
  const { port } = address;
  return {
    host: `127.0.0.1:${port}`,
    port,
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    server,
    ...(certPem === undefined ? {} : { certPem }),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Read a request body completely (test servers only handle small bodies). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
