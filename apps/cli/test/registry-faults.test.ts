/**
 * What a user sees of a registry that does not answer or keeps failing (docs/oci.md, "Timeouts and
 * retries"): `--timeout` / `PROVISIONING_TIMEOUT` bound the wait with one error line, and pushes
 * through a proxy that faults a fifth of the requests all succeed with intact content.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type RunningDistribution,
  requireBinary,
  startDistribution,
  startFaultyProxy,
  startHttpServer,
  type TestHttpServer,
} from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackOrBox, Sandbox } from './support/run-cli.js';

const skopeo = requireBinary('skopeo');
const box = new Sandbox();
let silent: TestHttpServer;
let registry: RunningDistribution;

beforeAll(async () => {
  silent = await startHttpServer((req) => {
    req.resume(); // accepts the connection and the request, never answers
  });
  registry = await startDistribution();
});
afterAll(async () => {
  await silent?.close();
  await registry?.stop();
  box.cleanup();
});

describe('a registry that accepts connections and never answers', () => {
  it.each([
    ['--timeout 2s', ['--timeout', '2s'], {}, '2 s'],
    ['PROVISIONING_TIMEOUT=1500ms', [], { PROVISIONING_TIMEOUT: '1500ms' }, '1.5 s'],
  ])(
    'fails within %s in total, with one line naming the registry and the flag',
    async (_, flags, env, shown) => {
      const started = Date.now();
      const result = await box.run(['oci', 'tags', 'redis', ...flags], {
        env: { PROVISIONING_REGISTRY: silent.host, ...env },
      });
      const elapsed = Date.now() - started;
      expect(result.code, result.stderr).toBe(3);
      // the budget covers every retry: 5 tries of it would take 5 times as long
      expect(elapsed).toBeLessThan(6000);
      const lines = result.stderr.trim().split('\n');
      expect(lines[0]).toBe(
        `error: list tags of ${silent.host}/provisioning-extensions/redis: ${silent.host} did not answer within ${shown}`,
      );
      expect(lines[1]).toContain('--timeout');
      expect(lines).toHaveLength(2);
      expect(expectNoStackOrBox(result.stderr)).toEqual([]);
      // not a terminal: no "waiting for" notice
      expect(result.stderr).not.toContain('waiting for');
    },
  );

  it('--json carries the same error as NETWORK_ERROR', async () => {
    const result = await box.run(['oci', 'tags', 'redis', '--timeout', '1s', '--json'], {
      env: { PROVISIONING_REGISTRY: silent.host },
    });
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).error).toMatchObject({ code: 'NETWORK_ERROR', kind: 'network' });
  });

  it.each([
    [['--timeout', 'soon'], {}, 2, 'error: --timeout: invalid timeout "soon" (not a duration)'],
    [['--timeout', '0'], {}, 2, 'error: --timeout: invalid timeout "0" (must be more than 0)'],
    [
      [],
      { PROVISIONING_TIMEOUT: '5x' },
      1,
      'error: PROVISIONING_TIMEOUT: invalid timeout "5x" (not a duration)',
    ],
  ])('refuses a bad value %j %j before any request', async (flags, env, exit, line) => {
    const before = silent.requests.length;
    const result = await box.run(['oci', 'tags', 'redis', ...flags], {
      env: { PROVISIONING_REGISTRY: silent.host, ...env },
    });
    expect(result.code).toBe(exit);
    expect(result.stderr.split('\n')[0]).toBe(line);
    expect(result.stderr).toContain('30s, 2m');
    expect(silent.requests.length).toBe(before);
  });
});

describe('oci push through a proxy that answers a fifth of the requests with 429, 502 or 503', () => {
  it('pushes several extensions intact', async () => {
    const proxy = await startFaultyProxy(registry.host, { rate: 0.2, seed: 1 });
    try {
      const names = ['redis', 'postgres', 'nginx', 'minio'];
      const pushed: Record<string, string> = {};
      const layers: string[] = [];
      for (const name of names) {
        const dir = join(box.root, 'src', name);
        const generated = await box.run(['generate', 'extension', 'taskserv', name, '--dir', dir]);
        expect(generated.code, generated.stderr).toBe(0);
        const result = await box.run(['oci', 'push', dir, name, '1.0.0', '--json'], {
          env: { PROVISIONING_REGISTRY: proxy.host },
        });
        expect(result.code, result.stderr).toBe(0);
        const output = JSON.parse(result.stdout);
        pushed[name] = output.digest;
        layers.push(encodeURIComponent(output.layer_digest));
      }
      expect(proxy.injected.length).toBeGreaterThan(3);
      // A layer upload (a file stream, the body that used to be spent after one try) met a fault.
      expect(proxy.injected.some((f) => f.method === 'PUT' && layers.some((l) => f.url.includes(l)))).toBe(
        true,
      );

      for (const name of names) {
        // Read past the proxy: skopeo sees the pushed manifest, and a pull verifies every blob.
        const raw = execFileSync(skopeo, [
          'inspect',
          '--raw',
          '--tls-verify=false',
          `docker://${registry.host}/provisioning-extensions/${name}:1.0.0`,
        ]);
        const digest = `sha256:${createHash('sha256').update(raw).digest('hex')}`;
        expect(digest).toBe(pushed[name]);
        const pulled = await box.run(['oci', 'pull', `${name}:1.0.0`, '-o', join(box.root, 'pulled', name)], {
          env: { PROVISIONING_REGISTRY: registry.host },
        });
        expect(pulled.code, pulled.stderr).toBe(0);
      }
    } finally {
      await proxy.close();
    }
  });
});

describe('oci pull through a proxy that breaks half of the blob downloads half-way', () => {
  it('resumes every download and installs intact content (never an internal error)', async () => {
    const names = ['etcd', 'haproxy', 'coredns'];
    for (const name of names) {
      const dir = join(box.root, 'src', name);
      expect((await box.run(['generate', 'extension', 'taskserv', name, '--dir', dir])).code).toBe(0);
      const pushed = await box.run(['oci', 'push', dir, name, '1.0.0'], {
        env: { PROVISIONING_REGISTRY: registry.host },
      });
      expect(pushed.code, pushed.stderr).toBe(0);
    }
    const proxy = await startFaultyProxy(registry.host, { rate: 0.1, bodyRate: 0.5, seed: 5 });
    // A home of its own: nothing in the pull cache yet, every blob crosses the proxy.
    const env = { PROVISIONING_REGISTRY: proxy.host, PROVISIONING_HOME: join(box.root, 'fresh-home') };
    try {
      for (const name of names) {
        const out = join(box.root, 'faulted-pulls', name);
        // --timeout 1s: a stalled body is given up on (and resumed) after a second of silence
        const pulled = await box.run(['oci', 'pull', `${name}:1.0.0`, '-o', out, '--timeout', '1s'], { env });
        expect(pulled.code, pulled.stderr).toBe(0);
        expect(readFileSync(join(out, 'manifest.yaml'), 'utf8')).toBe(
          readFileSync(join(box.root, 'src', name, 'manifest.yaml'), 'utf8'),
        );
      }
      expect(
        proxy.injected.filter((f) => ['cut', 'short', 'stall'].includes(f.fault)).length,
      ).toBeGreaterThan(1);
    } finally {
      await proxy.close();
    }
  });
});
