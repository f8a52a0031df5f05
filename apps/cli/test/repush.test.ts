// A published version is immutable: the same content again is a no-op, different content is
// refused naming both digests unless --force — the same code and exit status on every backend.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './support/run-cli.js';

const box = new Sandbox();
let registry: RunningDistribution;

beforeAll(async () => {
  registry = await startDistribution();
});
afterAll(async () => {
  await registry?.stop();
  box.cleanup();
});

describe.each([
  ['the embedded storage', () => ({})],
  ['CNCF Distribution', () => ({ PROVISIONING_REGISTRY: registry.host })],
])('re-pushing a published version on %s', (backend, envOf) => {
  it('is a no-op with the same content and refused with other content unless --force', async () => {
    const env = envOf();
    const dir = join(box.root, backend.replaceAll(' ', '-'), 'redis');
    expect((await box.run(['generate', 'extension', 'taskserv', 'redis', '--dir', dir])).code).toBe(0);
    const first = JSON.parse(
      (await box.run(['oci', 'push', dir, 'redis', '1.0.0', '--json'], { env })).stdout,
    );
    expect(first.outcome).toBe('pushed');

    const again = await box.run(['oci', 'push', dir, 'redis', '1.0.0'], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('is already published with this content; nothing pushed');

    appendFileSync(join(dir, 'README.md'), '\nchanged\n');
    const refused = await box.run(['oci', 'push', dir, 'redis', '1.0.0', '--json'], { env });
    expect(refused.code).toBe(1);
    const error = JSON.parse(refused.stdout).error;
    expect(error.code).toBe('VERSION_EXISTS');
    expect(error.published_digest).toBe(first.digest);
    expect(error.message).toContain(first.digest);
    expect(error.message).toContain(error.new_digest);
    const tags = JSON.parse((await box.run(['oci', 'inspect', 'redis:1.0.0', '--json'], { env })).stdout);
    expect(JSON.stringify(tags)).toContain(first.digest);

    const forced = JSON.parse(
      (await box.run(['oci', 'push', dir, 'redis', '1.0.0', '--force', '--json'], { env })).stdout,
    );
    expect(forced).toMatchObject({
      outcome: 'replaced',
      previous_digest: first.digest,
      digest: error.new_digest,
    });
  });
});
