import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from '../src/index.js';
import { extensionArtifact, FAST_RETRY, pushArtifact } from './helpers.js';

let registry: RunningDistribution;
let client: Registry;

beforeAll(async () => {
  registry = await startDistribution({ deleteEnabled: false });
  client = new Registry(registry.host, { credentials: null, retry: FAST_RETRY });
});

afterAll(async () => {
  await client?.close();
  await registry?.stop();
});

describe('Distribution with storage.delete disabled', () => {
  it('reports DELETE_DISABLED naming the reference, and the manifest stays', async () => {
    const art = extensionArtifact('buildkit', '0.12.0');
    const repo = client.repository('provisioning-extensions/buildkit');
    await pushArtifact(repo, art, '0.12.0');
    const error = await repo.deleteManifest('0.12.0').catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'DELETE_DISABLED',
      kind: 'registry',
      status: 405,
      registryCode: 'UNSUPPORTED',
    });
    expect((error as Error).message).toContain(`${registry.host}/provisioning-extensions/buildkit:0.12.0`);
    expect((error as { hint: string }).hint).toContain('storage.delete.enabled');
    expect(await repo.exists(art.manifestDesc)).toBe(true);
  });
});
