import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './support/run-cli.js';

const box = new Sandbox();
const agents: string[] = [];
let server: Server;

beforeAll(async () => {
  server = createServer((req, res) => {
    agents.push(String(req.headers['user-agent']));
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"NAME_UNKNOWN"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => {
  server.close();
  box.cleanup();
});

describe('User-Agent', () => {
  it('every registry request says provisioning/VERSION', async () => {
    const { port } = server.address() as AddressInfo;
    const result = await box.run(['oci', 'tags', 'redis', '--registry', `127.0.0.1:${port}`]);
    expect(result.code).not.toBe(0);
    expect(agents.length).toBeGreaterThan(0);
    expect(new Set(agents)).toEqual(new Set(['provisioning/3.5.0']));
  });
});
