/**
 * `platform api` for real: the built CLI starts the gateway on a free loopback port, prints its URL,
 * answers over HTTP and stops on SIGTERM; a non-loopback host without --token-file is refused.
 */
import { type TempDir, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from './support/long-running.js';

let tmp: TempDir;
beforeAll(async () => {
  tmp = await tempDir('platform-api-');
});
afterAll(async () => {
  await tmp?.remove();
});

const start = (args: string[]) => startCli(['platform', 'api', ...args], tmp.path);

describe('platform api', () => {
  it('starts, prints the URL, answers and stops on SIGTERM', async () => {
    const run = start(['--port', '0']);
    const url = await run.waitFor(/API listening on (http:\/\/127\.0\.0\.1:\d+)/);
    expect(url, run.err()).toBeDefined();
    const health = await fetch(`${url}/api/v1/health`);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { openapi: string };
    expect(doc.openapi).toBe('3.1.0');
    // the bundled CLI finds the built control center without --ui-dir (pnpm build built it)
    expect(run.out()).toMatch(/UI: http:\/\/127\.0\.0\.1:\d+\/ from .*control-center\/dist/);
    const page = await fetch(`${url}/`);
    expect(await page.text()).toContain('<div id="root">');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.out()).toContain('API stopped');
  });

  it('refuses a non-loopback host without --token-file in one line', async () => {
    const run = start(['--host', '0.0.0.0', '--port', '0']);
    expect(await run.exited).toBe(2);
    const lines = run.err().trim().split('\n');
    expect(lines[0]).toBe('error: binding 0.0.0.0 exposes the API beyond this machine without a token');
    expect(lines[1]).toMatch(/hint: pass --token-file FILE/);
    expect(run.err()).not.toMatch(/\n\s+at /);
  });
});
