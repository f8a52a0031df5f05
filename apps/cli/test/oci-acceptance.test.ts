/**
 * Issue 4's acceptance checks, with the CLI spawned as a user runs it against a real CNCF
 * Distribution registry: a corrupted blob in the registry's storage is refused on pull (nothing
 * unpacked, nothing cached), and pushing the same extension twice uploads no blob the second time.
 */

import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { type RegistryProxy, startProxy } from '@provisioning/fixtures';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackOrBox, jsonOk, Sandbox } from './support/run-cli.js';

const box = new Sandbox();
let registry: RunningDistribution;
const NS = 'provisioning-extensions';

async function extension(name: string): Promise<string> {
  const dir = join(box.root, 'src', name);
  const generated = await box.run(['generate', 'extension', 'taskserv', name, '--dir', dir]);
  expect(generated.code, generated.stderr).toBe(0);
  // some bytes of its own so the layer is not shared with another test's extension
  writeFileSync(join(dir, 'README.md'), `# ${name}\n\n${'acceptance '.repeat(200)}\n`);
  return dir;
}

/** The file where Distribution's filesystem driver keeps a blob. */
function blobData(digest: string): string {
  const hex = digest.slice('sha256:'.length);
  return join(
    registry.storageDir,
    'docker',
    'registry',
    'v2',
    'blobs',
    'sha256',
    hex.slice(0, 2),
    hex,
    'data',
  );
}

/** A fresh, cold PROVISIONING_HOME per pull so the cache cannot answer. */
function coldHome(label: string): string {
  const home = join(box.root, `home-${label}`);
  mkdirSync(home);
  return home;
}

beforeAll(async () => {
  registry = await startDistribution();
});
afterAll(async () => {
  await registry?.stop();
  box.cleanup();
});

describe('a blob corrupted inside the registry storage', () => {
  let pushed: { digest: string; layer_digest: string; layer_size: number };
  const env = () => ({ PROVISIONING_REGISTRY: registry.host });

  beforeAll(async () => {
    const dir = await extension('corrupted');
    pushed = jsonOk(
      await box.run(['oci', 'push', dir, 'corrupted', '1.0.0', '--plain-http', '--json'], { env: env() }),
    );
    expect(existsSync(blobData(pushed.layer_digest))).toBe(true);
  });

  /** Pull into a fresh output directory with a cold cache; return the result and what was left behind. */
  async function pullCorrupted(label: string, jsonOutput: boolean) {
    const home = coldHome(label);
    const output = join(box.root, `out-${label}`);
    const args = ['oci', 'pull', 'corrupted:1.0.0', '--output', output, '--plain-http'];
    const result = await box.run(jsonOutput ? [...args, '--json'] : args, {
      env: { ...env(), PROVISIONING_HOME: home },
    });
    const hex = pushed.layer_digest.slice('sha256:'.length);
    const files = findFiles(join(home, 'oci-cache'));
    // whatever the cache did keep (manifest, config) is verified: each blob hashes to its name
    for (const file of files.filter((path) => /\/blobs\/sha256\/[0-9a-f]{64}$/.test(path))) {
      expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(basename(file));
    }
    const cached = files.filter((path) => path.includes(hex));
    return { result, output, cached };
  }

  function expectNothingLeft(output: string, cached: string[]) {
    expect(!existsSync(output) || readdirSync(output).length === 0).toBe(true);
    expect(cached).toEqual([]);
  }

  it('same length, bytes overwritten: DIGEST_MISMATCH, exit 3, nothing unpacked or cached', async () => {
    const path = blobData(pushed.layer_digest);
    const original = readFileSync(path);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.from('CORRUPTED!'), 0, 10, Math.floor(original.length / 2));
    closeSync(fd);
    expect(readFileSync(path).length).toBe(original.length);
    try {
      const human = await pullCorrupted('same-length', false);
      // docs/cli.md: a registry failure (kind `registry`) exits 3
      expect(human.result.code, human.result.stderr).toBe(3);
      const lines = human.result.stderr.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^error: .*content does not match sha256:[0-9a-f]{64}/);
      expect(lines[0]).toContain(pushed.layer_digest);
      expect(lines[1]).toMatch(/^ {2}hint: /);
      expect(expectNoStackOrBox(human.result.stderr)).toEqual([]);
      expectNothingLeft(human.output, human.cached);

      const machine = await pullCorrupted('same-length-json', true);
      expect(machine.result.code).toBe(3);
      const error = JSON.parse(machine.result.stdout).error;
      expect(error).toMatchObject({ code: 'DIGEST_MISMATCH', kind: 'registry', digest: pushed.layer_digest });
      expectNothingLeft(machine.output, machine.cached);
    } finally {
      writeFileSync(path, original);
    }
  });

  it('different length (shorter and longer): DIGEST_MISMATCH, exit 3, nothing unpacked or cached', async () => {
    const path = blobData(pushed.layer_digest);
    const original = readFileSync(path);
    try {
      for (const [label, damaged] of [
        ['shorter', original.subarray(0, original.length - 7)],
        ['longer', Buffer.concat([original, Buffer.from('trailing garbage')])],
      ] as const) {
        writeFileSync(path, damaged);
        const pulled = await pullCorrupted(label, true);
        expect(pulled.result.code, pulled.result.stderr).toBe(3);
        const error = JSON.parse(pulled.result.stdout).error;
        expect(error, label).toMatchObject({ code: 'DIGEST_MISMATCH', kind: 'registry' });
        expect(error.message).toContain(pushed.layer_digest);
        expectNothingLeft(pulled.output, pulled.cached);
      }
    } finally {
      writeFileSync(path, original);
    }
    // restored: the same pull now succeeds, so the failures above were the corruption's doing
    const healthy = await pullCorrupted('restored', true);
    expect(healthy.result.code, healthy.result.stderr).toBe(0);
    expect(readFileSync(join(healthy.output, 'README.md'), 'utf8')).toContain('# corrupted');
    expect(healthy.cached.length).toBeGreaterThan(0);
  });
});

describe('pushing the same extension twice', () => {
  let proxy: RegistryProxy;

  beforeAll(async () => {
    proxy = await startProxy(registry.host);
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('the second push of the same content uploads nothing: one manifest lookup, same digest', async () => {
    const dir = await extension('twice');
    const env = { PROVISIONING_REGISTRY: proxy.host };
    const push = ['oci', 'push', dir, 'twice', '1.0.0', '--plain-http', '--json'];

    const first = jsonOk(await box.run(push, { env }));
    const firstRequests = proxy.requests.splice(0);
    // the proxy does see uploads when there is something to upload
    expect(firstRequests.some((r) => r.method === 'POST' && r.url.includes('/blobs/uploads/'))).toBe(true);

    const second = jsonOk(await box.run(push, { env }));
    const secondRequests = proxy.requests.splice(0);
    expect(second.digest).toBe(first.digest);
    expect(second.layer_digest).toBe(first.layer_digest);

    expect(second.outcome).toBe('unchanged');
    // the published version already holds this content: no blob request, no write at all
    expect(secondRequests.filter((r) => r.url.includes('/blobs/'))).toEqual([]);
    expect(secondRequests.filter((r) => !['GET', 'HEAD'].includes(r.method))).toEqual([]);
    expect(secondRequests.some((r) => r.url === `/v2/${NS}/twice/manifests/1.0.0`)).toBe(true);
  });
});

function findFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
