/**
 * A loopback proxy in front of the registry: counts requests (to prove `--frozen` makes none) and,
 * when told to, tampers with blob bodies (to prove nothing unverified is installed).
 */
import { request } from 'node:http';
import { type RecordedRequest, startHttpServer, type TestHttpServer } from '@provisioning/testkit';

export interface RegistryProxy {
  host: string;
  requests: RecordedRequest[];
  /** Flip one byte of every blob body whose URL matches. */
  tamper: RegExp | undefined;
  close(): Promise<void>;
}

export async function startProxy(upstream: string): Promise<RegistryProxy> {
  const state: { tamper: RegExp | undefined } = { tamper: undefined };
  const [upHost, upPort] = upstream.split(':');
  const server: TestHttpServer = await startHttpServer(async (req, res) => {
    const tamper = req.method === 'GET' && state.tamper?.test(req.url ?? '') === true;
    await new Promise<void>((resolve, reject) => {
      const upstreamReq = request(
        {
          host: upHost,
          port: Number(upPort),
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream },
        },
        (upstreamRes) => {
          const headers = { ...upstreamRes.headers };
          if (headers.location) headers.location = headers.location.replace(upstream, server.host);
          res.writeHead(upstreamRes.statusCode ?? 502, headers);
          if (!tamper) {
            upstreamRes.pipe(res);
            upstreamRes.on('end', resolve);
            return;
          }
          const chunks: Buffer[] = [];
          upstreamRes.on('data', (c: Buffer) => chunks.push(c));
          upstreamRes.on('end', () => {
            const body = Buffer.concat(chunks);
            const middle = body.length >> 1;
            if (body.length > 0) body[middle] = (body[middle] ?? 0) ^ 0xff;
            res.end(body);
            resolve();
          });
        },
      );
      upstreamReq.on('error', reject);
      req.pipe(upstreamReq);
    });
  });
  return {
    host: server.host,
    requests: server.requests,
    get tamper() {
      return state.tamper;
    },
    set tamper(value) {
      state.tamper = value;
    },
    close: () => server.close(),
  };
}
