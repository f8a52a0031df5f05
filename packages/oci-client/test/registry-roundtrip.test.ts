import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { MediaTypes } from '@provisioning/schemas';
import {
  type RunningDistribution,
  requireBinary,
  startDistribution,
  startHttpServer,
  type TempDir,
  tempDir,
} from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry, RegistryPool } from '../src/index.js';
import { descriptorOf, extensionArtifact, FAST_RETRY, pushArtifact, readAll } from './helpers.js';

const run = promisify(execFile);

let registry: RunningDistribution;
let client: Registry;
let work: TempDir;

beforeAll(async () => {
  registry = await startDistribution();
  client = new Registry(registry.host, { credentials: null, retry: FAST_RETRY });
  work = await tempDir('oci-client-roundtrip');
});

afterAll(async () => {
  await client?.close();
  await registry?.stop();
  await work?.remove();
});

describe('push → tags → manifest → blob round trip against Distribution', () => {
  it('pushes an extension artifact and reads every piece back byte for byte', async () => {
    const art = extensionArtifact('kubernetes', '1.28.0');
    const repo = client.repository('provisioning-extensions/kubernetes');
    expect(await repo.pushBlob(art.configDesc, art.config)).toBe('uploaded');
    expect(await repo.pushBlob(art.layerDesc, Readable.from([art.layer]))).toBe('uploaded');
    // Second push is skipped after HEAD.
    expect(await repo.pushBlob(art.layerDesc, art.layer)).toBe('exists');
    const pushed = await repo.pushManifest(art.manifestBytes, MediaTypes.ociImageManifest, '1.28.0');
    expect(pushed.digest).toBe(art.manifestDesc.digest);

    expect(await repo.tags()).toEqual(['1.28.0']);
    const resolved = await repo.resolve('1.28.0');
    expect(resolved).toEqual({
      mediaType: MediaTypes.ociImageManifest,
      digest: art.manifestDesc.digest,
      size: art.manifestBytes.length,
    });

    const fetched = await repo.fetchManifest('1.28.0');
    expect(fetched.bytes.equals(art.manifestBytes)).toBe(true);
    expect(fetched.descriptor.artifactType).toBe(MediaTypes.extensionArtifact);
    expect((await readAll(await repo.fetch(art.layerDesc))).equals(art.layer)).toBe(true);
    expect((await readAll(await repo.fetch(art.configDesc))).equals(art.config)).toBe(true);
    expect((await readAll(await repo.fetch(resolved))).equals(art.manifestBytes)).toBe(true);
    expect(await repo.exists(art.layerDesc)).toBe(true);
    expect(await repo.exists(descriptorOf('application/octet-stream', Buffer.from('nope')))).toBe(false);
  });

  it('uploads in chunks with Content-Range when the blob is larger than the monolithic limit', async () => {
    const lines: string[] = [];
    const chunky = new Registry(registry.host, {
      credentials: null,
      chunkSize: 64 * 1024,
      monolithicMaxBytes: 100_000,
      debug: (line) => lines.push(line),
    });
    try {
      const bytes = randomBytes(300_000);
      const desc = descriptorOf(MediaTypes.ociLayerTarGzip, bytes);
      const repo = chunky.repository('chunks/big');
      // Feed it in odd-sized pieces to exercise re-chunking.
      const pieces = [];
      for (let i = 0; i < bytes.length; i += 7777) pieces.push(bytes.subarray(i, i + 7777));
      expect(await repo.pushBlob(desc, Readable.from(pieces))).toBe('uploaded');
      // 300 000 bytes in 64 KiB chunks: 5 PATCH requests, then the closing PUT.
      expect(lines.filter((l) => l.startsWith('PATCH ') && l.includes('→ 202'))).toHaveLength(5);
      expect(lines.filter((l) => l.startsWith('PUT ') && l.includes('→ 201'))).toHaveLength(1);
      expect((await readAll(await repo.fetchBlob(desc))).equals(bytes)).toBe(true);
    } finally {
      await chunky.close();
    }
  });

  it('refuses to upload content that does not match its descriptor (buffer up front, stream while sending)', async () => {
    const repo = client.repository('provisioning-extensions/mismatch');
    const claimed = descriptorOf(MediaTypes.ociLayerTar, Buffer.from('expected bytes'));
    const actual = Buffer.from('tampered bytes');
    await expect(repo.pushBlob(claimed, actual)).rejects.toMatchObject({
      code: 'DIGEST_MISMATCH',
      kind: 'registry', // corrupt content, whoever sent it (docs/errors.md)
    });
    await expect(repo.pushBlob(claimed, Readable.from([actual]))).rejects.toMatchObject({
      code: 'DIGEST_MISMATCH',
    });
    expect(await repo.blobExists(claimed.digest)).toBe(false);
  });

  it('mounts a blob from another repository of the same registry', async () => {
    const art = extensionArtifact('etcd', '3.5.9');
    const source = client.repository('provisioning-extensions/etcd');
    await source.pushBlob(art.layerDesc, art.layer);
    const target = client.repository('mirror/etcd');
    expect(
      await target.pushBlob(art.layerDesc, art.layer, { mountFrom: 'provisioning-extensions/etcd' }),
    ).toBe('mounted');
    expect(await target.blobExists(art.layerDesc.digest)).toBe(true);
    // A mount from a repo that lacks the blob: 202, the upload goes on.
    const fresh = Buffer.from('fresh layer');
    const freshDesc = descriptorOf(MediaTypes.ociLayerTar, fresh);
    expect(await target.pushBlob(freshDesc, fresh, { mountFrom: 'provisioning-extensions/kubernetes' })).toBe(
      'uploaded',
    );
    expect((await readAll(await target.fetchBlob(freshDesc))).equals(fresh)).toBe(true);
  });

  it('streams a blob from one repository into another of the same registry with a single request slot', async () => {
    const single = new Registry(registry.host, { credentials: null, retry: FAST_RETRY, concurrency: 1 });
    try {
      const bytes = randomBytes(100_000);
      const desc = descriptorOf(MediaTypes.ociLayerTarGzip, bytes);
      await single.repository('copy/source').pushBlob(desc, bytes);
      const download = await single.repository('copy/source').fetchBlob(desc);
      // The open download must not hold the only slot, or this upload would wait forever.
      expect(await single.repository('copy/target').pushBlob(desc, download)).toBe('uploaded');
      expect((await readAll(await single.repository('copy/target').fetchBlob(desc))).equals(bytes)).toBe(
        true,
      );
    } finally {
      await single.close();
    }
  });

  it('sends the OCI Accept header on manifest requests (Distribution 2.8 answers 404 without it)', async () => {
    const art = extensionArtifact('cilium', '1.14.0');
    const repo = client.repository('provisioning-extensions/cilium');
    await pushArtifact(repo, art, '1.14.0');
    const bare = await fetch(`${registry.url}/v2/provisioning-extensions/cilium/manifests/1.14.0`);
    await bare.arrayBuffer();
    expect(bare.status).toBe(404);
    // Through a recording proxy: our request carries every manifest media type.
    const proxy = await startHttpServer(async (req, res) => {
      const upstream = await fetch(`${registry.url}${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
      });
      res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
      res.end(Buffer.from(await upstream.arrayBuffer()));
    });
    const viaProxy = new Registry(proxy.host, { credentials: null });
    try {
      const fetched = await viaProxy.repository('provisioning-extensions/cilium').fetchManifest('1.14.0');
      expect(fetched.descriptor.digest).toBe(art.manifestDesc.digest);
      const accept = String(proxy.requests.at(-1)?.headers.accept);
      expect(accept).toContain(MediaTypes.ociImageManifest);
      expect(accept).toContain(MediaTypes.ociImageIndex);
      expect(accept).toContain(MediaTypes.dockerManifest);
    } finally {
      await viaProxy.close();
      await proxy.close();
    }
  });

  it('reports a missing tag with the repository and how to list tags', async () => {
    const repo = client.repository('provisioning-extensions/kubernetes');
    const error = await repo.fetchManifest('9.9.9').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MANIFEST_UNKNOWN', kind: 'registry', status: 404 });
    expect((error as Error).message).toContain(`${registry.host}/provisioning-extensions/kubernetes:9.9.9`);
    expect((error as { hint: string }).hint).toContain('provisioning oci tags');
  });

  it('deletes a manifest by tag when deletion is enabled', async () => {
    const art = extensionArtifact('redis', '1.0.0');
    const repo = client.repository('provisioning-extensions/redis');
    await pushArtifact(repo, art, '1.0.0');
    expect(await repo.deleteManifest('1.0.0')).toBe(art.manifestDesc.digest);
    expect(await repo.exists(art.manifestDesc)).toBe(false);
  });

  it('RegistryPool opens oci:// references and shares one client per host', async () => {
    const pool = new RegistryPool({ credentials: null, retry: FAST_RETRY });
    try {
      const opened = pool.open(`oci://${registry.host}/provisioning-extensions/kubernetes:1.28.0`);
      expect(opened.target).toBe('1.28.0');
      expect(opened.repository.location).toBe(`${registry.host}/provisioning-extensions/kubernetes`);
      const digest = (await opened.repository.resolve(opened.target)).digest;
      const pinned = pool.open(`${registry.host}/provisioning-extensions/kubernetes@${digest}`);
      expect(pinned.registry).toBe(opened.registry);
      expect(pinned.target).toBe(digest);
      expect((await pinned.repository.fetchManifest(pinned.target)).descriptor.digest).toBe(digest);
      expect(pool.open('kubernetes', { registry: registry.host }).repository.name).toBe(
        'provisioning-extensions/kubernetes',
      );
    } finally {
      await pool.close();
    }
  });

  it('lists the catalog', async () => {
    const names = await client.catalog();
    expect(names).toContain('provisioning-extensions/kubernetes');
    expect(names).toContain('mirror/etcd');
  });

  it('probes capabilities: no referrers API and no single-POST upload on Distribution 2.8', async () => {
    const caps = await client.probeCapabilities('probe/caps');
    expect(caps).toMatchObject({ referrersApi: false, singlePostUpload: false });
  });

  it('maintains the referrers fallback index for a manifest with a subject', async () => {
    const art = extensionArtifact('aws', '2.0.0');
    const repo = client.repository('provisioning-extensions/aws');
    await pushArtifact(repo, art, '2.0.0');
    const empty = Buffer.from('{}');
    const emptyDesc = descriptorOf(MediaTypes.ociEmptyJson, empty);
    await repo.pushBlob(emptyDesc, empty);
    const makeSig = (n: number) => {
      const sig = Buffer.from(`signature ${n}`);
      return {
        sig,
        desc: descriptorOf('application/vnd.example.signature', sig),
      };
    };
    const referrerDigests: string[] = [];
    for (const n of [1, 2]) {
      const { sig, desc } = makeSig(n);
      await repo.pushBlob(desc, sig);
      const bytes = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaTypes.ociImageManifest,
          artifactType: 'application/vnd.example.signature',
          config: emptyDesc,
          layers: [desc],
          subject: art.manifestDesc,
        }),
      );
      referrerDigests.push((await repo.pushManifest(bytes, MediaTypes.ociImageManifest)).digest);
    }
    const referrers = await repo.referrers(art.manifestDesc.digest);
    expect(referrers.map((r) => r.digest)).toEqual(referrerDigests);
    expect(referrers[0]?.artifactType).toBe('application/vnd.example.signature');
    expect(await repo.tags()).toContain(`sha256-${art.manifestDesc.digest.slice(7)}`);
    expect(await repo.referrers(art.manifestDesc.digest, { artifactType: 'application/other' })).toEqual([]);
  });
});

describe('interop with skopeo', () => {
  it('skopeo reads what we pushed: raw manifest media types and a copy into an OCI layout', async () => {
    requireBinary('skopeo');
    const art = extensionArtifact('upcloud', '1.5.0');
    const repo = client.repository('provisioning-extensions/upcloud');
    await pushArtifact(repo, art, '1.5.0');
    const ref = `docker://${registry.host}/provisioning-extensions/upcloud:1.5.0`;
    const raw = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', ref]);
    const manifest = JSON.parse(raw.stdout) as {
      artifactType: string;
      config: { mediaType: string };
      layers: { mediaType: string; digest: string }[];
    };
    expect(manifest.artifactType).toBe(MediaTypes.extensionArtifact);
    expect(manifest.config.mediaType).toBe(MediaTypes.extensionConfig);
    expect(manifest.layers[0]?.mediaType).toBe(MediaTypes.extensionContent);

    const dir = `${work.path}/skopeo-layout`;
    await run('skopeo', ['copy', '--src-tls-verify=false', ref, `oci:${dir}:1.5.0`]);
    const { readFile } = await import('node:fs/promises');
    const index = JSON.parse(await readFile(`${dir}/index.json`, 'utf8')) as {
      manifests: { digest: string }[];
    };
    const copied = JSON.parse(
      await readFile(`${dir}/blobs/sha256/${index.manifests[0]!.digest.slice(7)}`, 'utf8'),
    ) as {
      layers: { digest: string }[];
    };
    expect(copied.layers[0]?.digest).toBe(art.layerDesc.digest);
  });
});
