/** Our own registry client against the built-in server: chunked uploads, capabilities, catalog, delete. */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry, type RunningRegistryServer, startRegistryServer } from '../src/index.js';
import { blob, makeArtifact, makeTempDir, readAll } from '../src/layout/test-support/fixtures.js';

let dir: { path: string; cleanup(): Promise<void> };
let server: RunningRegistryServer;
let client: Registry;

beforeAll(async () => {
  dir = await makeTempDir('server-client-');
  server = await startRegistryServer({ root: dir.path, port: 0 });
  client = new Registry(new URL(server.url).host, {
    credentials: null,
    chunkSize: 64 * 1024,
    retry: { maxTries: 1 },
  });
});
afterAll(async () => {
  await client?.close();
  await server?.close();
  await dir?.cleanup();
});

describe('built-in server with our client', () => {
  it('takes a chunked upload from the client and serves it back verified', async () => {
    const repo = client.repository('chunks/big');
    const big = blob(Buffer.alloc(1024 * 1024 + 123, 0x42));
    const result = await repo.pushBlob(big.desc, Readable.from([big.bytes]), { chunked: true });
    expect(result).toBe('uploaded');
    expect(await repo.blobExists(big.desc.digest)).toBe(true);
    expect((await readAll(await repo.fetchBlob(big.desc))).equals(big.bytes)).toBe(true);
    expect(await repo.pushBlob(big.desc, big.bytes)).toBe('exists');
  });

  it('reports referrers API, single-POST upload and mount support', async () => {
    const capabilities = await client.probeCapabilities('chunks/big');
    expect(capabilities).toMatchObject({ referrersApi: true });
  });

  it('pushes, lists, filters referrers and deletes through the client', async () => {
    const repo = client.repository('client/app');
    const image = makeArtifact('client-app');
    await repo.pushBlob(image.config.desc, image.config.bytes);
    await repo.pushBlob(image.layers[0]!.desc, image.layers[0]!.bytes);
    const desc = await repo.pushManifest(image.manifest.bytes, image.manifest.desc.mediaType, '1.0.0');
    expect(desc.digest).toBe(image.manifest.desc.digest);
    const sbom = makeArtifact('client-sbom', { artifactType: 'application/spdx+json', subject: desc });
    await repo.pushBlob(sbom.config.desc, sbom.config.bytes);
    await repo.pushBlob(sbom.layers[0]!.desc, sbom.layers[0]!.bytes);
    await repo.pushManifest(sbom.manifest.bytes, sbom.manifest.desc.mediaType);
    // the server answered OCI-Subject, so no sha256-<hex> fallback tag was written
    expect(await repo.tags()).toEqual(['1.0.0']);
    expect(
      (await repo.referrers(desc.digest, { artifactType: 'application/spdx+json' })).map((r) => r.digest),
    ).toEqual([sbom.manifest.desc.digest]);
    expect(await repo.referrers(desc.digest, { artifactType: 'application/other' })).toEqual([]);
    expect(await client.catalog()).toEqual(['chunks/big', 'client/app']);
    await repo.deleteManifest('1.0.0');
    await expect(repo.resolve('1.0.0')).rejects.toMatchObject({ code: 'MANIFEST_UNKNOWN' });
  });
});
