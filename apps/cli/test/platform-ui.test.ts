/**
 * `platform ui` for real: the built CLI starts the gateway with the built control-center UI on a free
 * loopback port, prints the page URL (with #token= when a token file is given), serves index.html and
 * stops on SIGTERM. --no-open never runs a browser.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type TempDir, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LongRunning, startCli } from './support/long-running.js';

let tmp: TempDir;
beforeAll(async () => {
  tmp = await tempDir('platform-ui-');
});
afterAll(async () => {
  await tmp?.remove();
});

const start = (args: string[]) => startCli(['platform', 'ui', '--no-open', ...args], tmp.path);
const pageUrl = (run: LongRunning) => run.waitFor(/Control center: (\S+)/);

describe('platform ui', () => {
  it('serves the built UI, prints the URL with the token and stops on SIGTERM', async () => {
    const tokenFile = join(tmp.path, 'token');
    await writeFile(tokenFile, 'ui-cli-token-42\n');
    const run = start(['--port', '0', '--token-file', tokenFile]);
    const url = await pageUrl(run);
    expect(url, run.err()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=ui-cli-token-42$/);
    const page = await fetch(new URL('/', url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Provisioning control center</title>');
    const health = await fetch(new URL('/api/v1/health', url), {
      headers: { authorization: 'Bearer ui-cli-token-42' },
    });
    expect(health.status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.out()).toContain('control center stopped');
  });

  it('refuses a --ui-dir without a built UI in one line', async () => {
    const run = start(['--port', '0', '--ui-dir', join(tmp.path, 'nowhere')]);
    const code = await run.exited;
    expect(code, run.out()).not.toBe(0);
    expect(run.err()).not.toMatch(/\n\s+at /);
    expect(run.err().trim().split('\n')[0]).toMatch(
      /^error: no built control-center UI: .*nowhere\/index.html is missing$/,
    );
  });
});
