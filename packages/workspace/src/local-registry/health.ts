/** Is something answering? A TCP connect for "is the port taken", `GET /v2/` for "is it a registry". */
import { request } from 'node:http';
import { connect, createServer } from 'node:net';

/** `http://host:port` with IPv6 hosts in brackets. */
export function endpointOf(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** What `GET /v2/` on host:port found: a registry, another HTTP server, nothing listening, or silence. */
export type ProbeResult = 'registry' | 'not-a-registry' | 'refused' | 'timeout';

export function probeRegistry(host: string, port: number, timeoutMs = 1500): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const req = request(
      { host, port, path: '/v2/', method: 'GET', timeout: timeoutMs, agent: false },
      (res) => {
        if (res.statusCode === 200 || res.statusCode === 401) {
          res.resume();
          resolve('registry');
          return;
        }
        // A registry serving HTTPS there (Distribution, Zot) answers plain HTTP with this 400: it is
        // a registry, to be used over HTTPS (docs/oci.md), never replaced by the embedded storage.
        let text = '';
        const decide = () =>
          resolve(
            res.statusCode === 400 && /HTTP request to an HTTPS server/i.test(text)
              ? 'registry'
              : 'not-a-registry',
          );
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (text.length >= 512) {
            decide();
            res.destroy();
          }
        });
        res.once('end', decide);
        res.once('error', () => resolve('not-a-registry'));
      },
    );
    req.on('timeout', () => {
      resolve('timeout');
      req.destroy();
    });
    // refused, reset or not HTTP at all: nothing we could push to
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ECONNREFUSED' ? 'refused' : 'not-a-registry'),
    );
    req.end();
  });
}

/**
 * True when `GET http://ENDPOINT/v2/` answers 200 or 401 (a registry, possibly with auth) within
 * `timeoutMs`. Any other answer, a refused connection or a timeout is false.
 */
export function registryAnswers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host, port, path: '/v2/', method: 'GET', timeout: timeoutMs, agent: false },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200 || res.statusCode === 401);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** True when a TCP connection to host:port is accepted within `timeoutMs`. */
export function portAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Can we bind host:port right now? Reports the errno (EADDRINUSE, EACCES, EADDRNOTAVAIL) when not. */
export function canListen(host: string, port: number): Promise<{ ok: true } | { ok: false; code: string }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      resolve({ ok: false, code: error.code ?? 'EUNKNOWN' }),
    );
    server.listen({ host, port, exclusive: true }, () => {
      server.close(() => resolve({ ok: true }));
    });
  });
}
