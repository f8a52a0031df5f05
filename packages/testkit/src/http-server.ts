import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

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
  /** `http://127.0.0.1:PORT` */
  url: string;
  server: Server;
  /** Every request seen, in order (method, url, headers). */
  requests: RecordedRequest[];
  /** Stop listening and drop open connections. */
  close(): Promise<void>;
}

/**
 * A small HTTP server on a free loopback port for hostile or faulty registry behaviour. The
 * handler may destroy `req.socket` to simulate a reset connection. Handler exceptions answer 500.
 */
export async function startHttpServer(handler: TestHandler): Promise<TestHttpServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
  });
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
    url: `http://127.0.0.1:${port}`,
    server,
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
