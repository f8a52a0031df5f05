// A loopback HTTP proxy in front of a registry that counts requests (total and by path pattern), so a
// benchmark can assert "0 registry requests" or "catalog pages within the cap" against a real registry.
import { request } from 'node:http';

export async function startCountingProxy(startHttpServer, registryHost) {
  const counts = { total: 0, catalog: 0, tags: 0 };
  const [host, port] = registryHost.split(':');
  const server = await startHttpServer(
    (req, res) =>
      new Promise((done, fail) => {
        counts.total++;
        if (req.url?.startsWith('/v2/_catalog')) counts.catalog++;
        else if (req.url?.includes('/tags/list')) counts.tags++;
        const up = request(
          {
            host,
            port: Number(port),
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: registryHost },
          },
          (upRes) => {
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            upRes.pipe(res);
            upRes.on('end', done);
          },
        );
        up.on('error', fail);
        req.pipe(up);
      }),
  );
  return { host: server.host, counts, close: () => server.close() };
}
