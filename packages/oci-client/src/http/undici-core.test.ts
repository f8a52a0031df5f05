import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Agent, request } from './undici-core.js';

describe('undici-core', () => {
  it('sends a request through an Agent with the URL path and query', async () => {
    const server = createServer((req, res) => res.end(`${req.method} ${req.url}`));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const agent = new Agent();
    try {
      const { port } = server.address() as { port: number };
      const response = await request(new URL(`http://127.0.0.1:${port}/v2/a/tags/list?n=5`), {
        method: 'GET',
        dispatcher: agent,
      });
      expect(response.statusCode).toBe(200);
      expect(await response.body.text()).toBe('GET /v2/a/tags/list?n=5');
    } finally {
      await agent.close();
      server.close();
    }
  });

  it("does not load undici's main module (fetch, WebSocket, mocks, caches)", () => {
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    expect(loaded.some((file) => /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]agent\.js$/.test(file))).toBe(true);
    expect(
      loaded.filter((file) => /[\\/]undici[\\/](index\.js|lib[\\/](web|mock|cache)[\\/])/.test(file)),
    ).toEqual([]);
  });
});
