// The same mistake gives the same code, exit status and message shape on every storage: the
// embedded layout storage, the built-in server (`oci-registry start`'s default backend) and CNCF
// Distribution (docs/architecture.md, "Error model").
import { appendFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningRegistryServer, startRegistryServer } from '@provisioning/oci-client';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './support/run-cli.js';

const box = new Sandbox();
let registry: RunningDistribution;
let builtin: RunningRegistryServer;
const builtinHost = () => new URL(builtin.url).host;
const backends: Record<string, () => Record<string, string>> = {
  embedded: () => ({}),
  builtin: () => ({ PROVISIONING_REGISTRY: builtinHost() }),
  distribution: () => ({ PROVISIONING_REGISTRY: registry.host }),
};
const hostOf: Record<string, () => string> = {
  embedded: () => 'localhost:5000',
  builtin: builtinHost,
  distribution: () => registry.host,
};

beforeAll(async () => {
  registry = await startDistribution();
  builtin = await startRegistryServer({ root: join(box.root, 'builtin-storage'), port: 0 });
  const dir = join(box.root, 'redis');
  expect((await box.run(['generate', 'extension', 'taskserv', 'redis', '--dir', dir])).code).toBe(0);
  for (const env of Object.values(backends)) {
    const pushed = await box.run(['oci', 'push', dir, 'redis', '1.0.0'], { env: env() });
    expect(pushed.code, pushed.stderr).toBe(0);
  }
  cpSync(dir, join(box.root, 'changed', 'redis'), { recursive: true });
  appendFileSync(join(box.root, 'changed', 'redis', 'README.md'), '\nother content\n');
});
afterAll(async () => {
  await registry?.stop();
  await builtin?.close();
  box.cleanup();
});

/** Runs a failing command on every backend; returns [code, exit status, message with the host masked]. */
async function onEveryBackend(args: string[]) {
  const seen: [string, number, string][] = [];
  for (const [name, env] of Object.entries(backends)) {
    const result = await box.run([...args, '--json'], { env: env() });
    const error = JSON.parse(result.stdout).error;
    expect(result.stderr.split('\n').filter(Boolean).length, `${name}: ${result.stderr}`).toBeLessThanOrEqual(
      2,
    );
    expect(result.stderr, name).not.toMatch(/oci-layout|index\.json|blobs\/sha256|at .*\.js:\d+/);
    const host = (hostOf[name] as () => string)();
    seen.push([error.code, result.code, String(error.message).replaceAll(host, 'HOST')]);
  }
  return seen;
}

describe('one code, one exit status, one message per failure, whatever the storage', () => {
  it.each([
    ['a missing repository', ['oci', 'pull', 'nosuchext:1.0.0', '-o', 'out1'], 'REPOSITORY_NOT_FOUND', 1],
    ['a missing repository (tags)', ['oci', 'tags', 'nosuchext'], 'REPOSITORY_NOT_FOUND', 1],
    ['a missing tag', ['oci', 'inspect', 'redis:9.9.9'], 'TAG_NOT_FOUND', 1],
    ['a bad reference', ['oci', 'pull', 'Bad Ref!'], 'REFERENCE_INVALID', 1],
    ['deleting a missing tag', ['oci', 'delete', 'redis:9.9.9', '--yes'], 'TAG_NOT_FOUND', 1],
    ['a refused re-push', ['oci', 'push', 'changed/redis', 'redis', '1.0.0'], 'VERSION_EXISTS', 1],
  ] as const)('%s', async (_what, args, code, status) => {
    const seen = await onEveryBackend([...args]);
    expect(seen.map(([c, s]) => [c, s])).toEqual([
      [code, status],
      [code, status],
      [code, status],
    ]);
    if (code !== 'VERSION_EXISTS') {
      expect(seen[1]?.[2]).toBe(seen[0]?.[2]);
      expect(seen[2]?.[2]).toBe(seen[0]?.[2]);
    }
  });

  it('a mistyped name gets the same "did you mean" on every storage', async () => {
    for (const env of Object.values(backends)) {
      const result = await box.run(['oci', 'pull', 'rediz:1.0.0', '-o', 'out2'], { env: env() });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('hint: did you mean redis?');
    }
  });
});

describe('an empty oci list under a mistyped namespace', () => {
  it('exits 0 but names the closest namespace that has content, on every storage', async () => {
    for (const [name, env] of Object.entries(backends)) {
      const result = await box.run(['oci', 'list', '--namespace', 'provisioning-extension'], { env: env() });
      expect(result.code, `${name}: ${result.stderr}`).toBe(0);
      expect(result.stdout).toMatch(/^no extensions under .*\/provisioning-extension$/m);
      expect(result.stderr, name).toContain(
        'hint: did you mean --namespace provisioning-extensions? (namespaces with content: provisioning-extensions)',
      );
    }
  });
});

describe('a version tag with or without the leading v', () => {
  it('names the same version on every storage (docs/oci.md, "Tags")', async () => {
    for (const [name, env] of Object.entries(backends)) {
      const inspected = await box.run(['oci', 'inspect', 'redis:v1.0.0', '--json'], { env: env() });
      expect(inspected.code, `${name}: ${inspected.stderr}`).toBe(0);
      expect(JSON.parse(inspected.stdout).reference).toMatch(/\/redis:1\.0\.0$/);
      const out = join(box.root, `v-pulled-${name}`);
      const pulled = await box.run(['oci', 'pull', 'redis:v1.0.0', '-o', out, '--json'], { env: env() });
      expect(pulled.code, `${name}: ${pulled.stderr}`).toBe(0);
      expect(JSON.parse(pulled.stdout).version).toBe('1.0.0');

      const copied = await box.run(['oci', 'copy', 'redis:1.0.0', 'redis:v7.0.0'], { env: env() });
      expect(copied.code, `${name}: ${copied.stderr}`).toBe(0);
      const plain = await box.run(['oci', 'inspect', 'redis:7.0.0', '--json'], { env: env() });
      expect(JSON.parse(plain.stdout).reference, name).toMatch(/\/redis:v7\.0\.0$/);
      // neither spelling published: the error names what was asked
      const missing = await box.run(['oci', 'inspect', 'redis:v9.9.9'], { env: env() });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('has no version v9.9.9');
    }
  });
});
