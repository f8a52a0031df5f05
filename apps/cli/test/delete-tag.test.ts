// `oci delete NAME:TAG` deletes that tag only — on the embedded storage, which can untag, and on
// CNCF Distribution, which deletes by digest and so refuses while other tags share the manifest.
import { join } from 'node:path';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './support/run-cli.js';

const box = new Sandbox();
let registry: RunningDistribution;

beforeAll(async () => {
  registry = await startDistribution();
  const dir = join(box.root, 'redis');
  expect((await box.run(['generate', 'extension', 'taskserv', 'redis', '--dir', dir])).code).toBe(0);
});
afterAll(async () => {
  await registry?.stop();
  box.cleanup();
});

const tagsOf = async (env: Record<string, string>) =>
  JSON.parse((await box.run(['oci', 'tags', 'redis', '--json'], { env })).stdout).tags.map(
    (t: { version: string }) => t.version,
  );

describe('oci delete NAME:TAG', () => {
  it('on the embedded storage deletes the tag only; the other tag keeps the manifest', async () => {
    const env = {};
    expect((await box.run(['oci', 'push', join(box.root, 'redis'), 'redis', '1.0.0'], { env })).code).toBe(0);
    const copied = await box.run(
      ['oci', 'copy', 'redis:1.0.0', 'localhost:5000/provisioning-extensions/redis:latest'],
      { env },
    );
    expect(copied.code, copied.stderr).toBe(0);
    const deleted = await box.run(['oci', 'delete', 'redis:latest', '--yes'], { env });
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toMatch(
      /^deleted tag localhost:5000\/provisioning-extensions\/redis:latest \(sha256:[a-f0-9]{64} keeps its other tags\)/,
    );
    expect(await tagsOf(env)).toEqual(['1.0.0']);
    const pulled = await box.run(['oci', 'inspect', 'redis:1.0.0', '--json'], { env });
    expect(pulled.code).toBe(0);
  });

  it('on Distribution refuses while other tags share the digest, naming them; --all-tags deletes both', async () => {
    const env = { PROVISIONING_REGISTRY: registry.host };
    expect((await box.run(['oci', 'push', join(box.root, 'redis'), 'redis', '1.0.0'], { env })).code).toBe(0);
    const ref = `${registry.host}/provisioning-extensions/redis`;
    expect((await box.run(['oci', 'copy', `${ref}:1.0.0`, `${ref}:latest`], { env })).code).toBe(0);
    const refused = await box.run(['oci', 'delete', 'redis:latest', '--yes', '--json'], { env });
    expect(refused.code).toBe(1);
    const error = JSON.parse(refused.stdout).error;
    expect(error).toMatchObject({ code: 'DELETE_SHARED_DIGEST', other_tags: ['1.0.0'] });
    expect(error.message).toContain(`deleting ${ref}:latest would also delete 1.0.0`);
    expect(await tagsOf(env)).toEqual(['1.0.0', 'latest']);
    const both = await box.run(['oci', 'delete', 'redis:latest', '--yes', '--all-tags', '--json'], { env });
    expect(both.code, both.stderr).toBe(0);
    expect(JSON.parse(both.stdout)).toMatchObject({
      removed_tags: ['1.0.0', 'latest'],
      manifest_deleted: true,
    });
  });
});
