/**
 * Distribution-spec conformance-style requests against the built-in registry server, made with
 * plain fetch calls so the server is judged on the wire, not through our own client.
 */

import { writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { MediaTypes } from '@provisioning/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LayoutStore, type RunningRegistryServer, startRegistryServer } from '../src/index.js';
import {
  blob,
  makeArtifact,
  makeTempDir,
  sha256,
  type TestImage,
} from '../src/layout/test-support/fixtures.js';

let dir: { path: string; cleanup(): Promise<void> };
let server: RunningRegistryServer;
let base: string;

beforeAll(async () => {
  dir = await makeTempDir('server-conformance-');
  server = await startRegistryServer({ root: dir.path, port: 0 });
  base = server.url;
});
afterAll(async () => {
  await server.close();
  await dir.cleanup();
});

async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { errors: { code: string; message: string }[] };
  expect(body.errors).toHaveLength(1);
  expect(typeof body.errors[0]!.message).toBe('string');
  return body.errors[0]!.code;
}

async function uploadBlob(name: string, bytes: Buffer): Promise<string> {
  const digest = sha256(bytes);
  const res = await fetch(`${base}/v2/${name}/blobs/uploads/?digest=${digest}`, {
    method: 'POST',
    body: bytes,
    headers: { 'Content-Type': 'application/octet-stream' },
  });
  expect(res.status).toBe(201);
  return digest;
}

async function pushImage(name: string, image: TestImage, reference: string): Promise<Response> {
  await uploadBlob(name, image.config.bytes);
  for (const layer of image.layers) await uploadBlob(name, layer.bytes);
  return fetch(`${base}/v2/${name}/manifests/${reference}`, {
    method: 'PUT',
    body: image.manifest.bytes,
    headers: { 'Content-Type': image.manifest.desc.mediaType },
  });
}

describe('built-in registry: base, errors and names', () => {
  it('answers the API version check', async () => {
    const res = await fetch(`${base}/v2/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
  });

  it('uses spec error bodies for unknown and invalid names', async () => {
    const unknown = await fetch(`${base}/v2/never/pushed/tags/list`);
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe('NAME_UNKNOWN');
    const invalid = await fetch(`${base}/v2/Upper/Case/manifests/latest`);
    expect(invalid.status).toBe(400);
    expect(await errorCode(invalid)).toBe('NAME_INVALID');
    const notAllowed = await fetch(`${base}/v2/x/tags/list`, { method: 'POST' });
    expect(notAllowed.status).toBe(405);
    expect(await errorCode(notAllowed)).toBe('UNSUPPORTED');
  });

  it('refuses encoded path escapes as invalid names', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(base);
      request(
        { host: url.hostname, port: url.port, path: '/v2/a/..%2f..%2fetc/manifests/latest', method: 'GET' },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
        .on('error', reject)
        .end();
    });
    expect(status).toBe(400);
  });
});

describe('built-in registry: blob uploads', () => {
  it('takes a monolithic POST, serves HEAD, GET and ranges', async () => {
    const bytes = Buffer.from('monolithic blob content');
    const digest = await uploadBlob('mono/repo', bytes);
    const head = await fetch(`${base}/v2/mono/repo/blobs/${digest}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(bytes.length));
    expect(head.headers.get('docker-content-digest')).toBe(digest);
    const get = await fetch(`${base}/v2/mono/repo/blobs/${digest}`);
    expect(Buffer.from(await get.arrayBuffer()).equals(bytes)).toBe(true);
    const range = await fetch(`${base}/v2/mono/repo/blobs/${digest}`, { headers: { Range: 'bytes=5-9' } });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes 5-9/${bytes.length}`);
    expect(await range.text()).toBe('ithic');
    const bad = await fetch(`${base}/v2/mono/repo/blobs/${digest}`, { headers: { Range: 'bytes=500-' } });
    expect(bad.status).toBe(416);
    await bad.body?.cancel();
  });

  it('refuses a monolithic upload whose content does not match its digest', async () => {
    const claimed = sha256(Buffer.from('what I claim'));
    const res = await fetch(`${base}/v2/mono/repo/blobs/uploads/?digest=${claimed}`, {
      method: 'POST',
      body: 'what I send',
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('DIGEST_INVALID');
    const head = await fetch(`${base}/v2/mono/repo/blobs/${claimed}`, { method: 'HEAD' });
    expect(head.status).toBe(404);
    const badDigest = await fetch(`${base}/v2/mono/repo/blobs/sha256:1234`);
    expect(await errorCode(badDigest)).toBe('DIGEST_INVALID');
  });

  it('runs a chunked session with Content-Range checks, status and finish', async () => {
    const bytes = Buffer.from('0123456789abcdefghij');
    const start = await fetch(`${base}/v2/chunked/repo/blobs/uploads/`, { method: 'POST' });
    expect(start.status).toBe(202);
    const location = start.headers.get('location')!;
    expect(location.startsWith('/v2/chunked/repo/blobs/uploads/')).toBe(true);
    expect(start.headers.get('docker-upload-uuid')).toBeTruthy();
    expect(start.headers.get('range')).toBe('0-0');
    const url = new URL(location, base);
    const patch1 = await fetch(url, {
      method: 'PATCH',
      body: bytes.subarray(0, 10),
      headers: { 'Content-Range': '0-9', 'Content-Type': 'application/octet-stream' },
    });
    expect(patch1.status).toBe(202);
    expect(patch1.headers.get('range')).toBe('0-9');
    const outOfOrder = await fetch(url, {
      method: 'PATCH',
      body: bytes.subarray(15),
      headers: { 'Content-Range': '15-19' },
    });
    expect(outOfOrder.status).toBe(416);
    expect(await errorCode(outOfOrder)).toBe('BLOB_UPLOAD_INVALID');
    const lengthMismatch = await fetch(url, {
      method: 'PATCH',
      body: bytes.subarray(10, 12),
      headers: { 'Content-Range': '10-19' },
    });
    expect(lengthMismatch.status).toBe(416);
    await lengthMismatch.body?.cancel();
    const status = await fetch(url);
    expect(status.status).toBe(204);
    expect(status.headers.get('range')).toBe('0-9');
    // a streamed chunk without Content-Range, then the last bytes with the finishing PUT
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(10, 13));
        controller.enqueue(bytes.subarray(13, 15));
        controller.close();
      },
    });
    const patch2 = await fetch(url, { method: 'PATCH', body: stream, duplex: 'half' } as RequestInit);
    expect(patch2.headers.get('range')).toBe('0-14');
    const digest = sha256(bytes);
    const finishUrl = new URL(patch2.headers.get('location')!, base);
    finishUrl.searchParams.set('digest', digest);
    const done = await fetch(finishUrl, {
      method: 'PUT',
      body: bytes.subarray(15),
      headers: { 'Content-Range': '15-19' },
    });
    expect(done.status).toBe(201);
    expect(done.headers.get('location')).toBe(`/v2/chunked/repo/blobs/${digest}`);
    expect(done.headers.get('docker-content-digest')).toBe(digest);
    expect(await (await fetch(`${base}/v2/chunked/repo/blobs/${digest}`)).text()).toBe(bytes.toString());
    const gone = await fetch(url);
    expect(gone.status).toBe(404);
    expect(await errorCode(gone)).toBe('BLOB_UPLOAD_UNKNOWN');
  });

  it('rejects a finishing PUT with the wrong digest and cancels sessions', async () => {
    const start = await fetch(`${base}/v2/chunked/repo/blobs/uploads/`, { method: 'POST' });
    const url = new URL(start.headers.get('location')!, base);
    url.searchParams.set('digest', sha256(Buffer.from('something else')));
    const wrong = await fetch(url, { method: 'PUT', body: 'actual content' });
    expect(wrong.status).toBe(400);
    expect(await errorCode(wrong)).toBe('DIGEST_INVALID');
    const other = await fetch(`${base}/v2/chunked/repo/blobs/uploads/`, { method: 'POST' });
    const otherUrl = new URL(other.headers.get('location')!, base);
    expect((await fetch(otherUrl, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(otherUrl)).status).toBe(404);
    const ingest = join(dir.path, 'chunked', 'repo', '.ingest');
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(ingest)).toEqual([]);
  });

  it('mounts across repositories, or starts an upload when the source lacks the blob', async () => {
    const digest = await uploadBlob('mount/source', Buffer.from('shared layer'));
    const mounted = await fetch(`${base}/v2/mount/target/blobs/uploads/?mount=${digest}&from=mount/source`, {
      method: 'POST',
    });
    expect(mounted.status).toBe(201);
    expect(mounted.headers.get('location')).toBe(`/v2/mount/target/blobs/${digest}`);
    expect(await (await fetch(`${base}/v2/mount/target/blobs/${digest}`)).text()).toBe('shared layer');
    const missing = sha256(Buffer.from('nowhere'));
    const fallback = await fetch(
      `${base}/v2/mount/target/blobs/uploads/?mount=${missing}&from=mount/source`,
      { method: 'POST' },
    );
    expect(fallback.status).toBe(202);
    expect(fallback.headers.get('location')).toMatch(/^\/v2\/mount\/target\/blobs\/uploads\/[0-9a-f-]+$/);
  });

  it('cuts the connection instead of serving a corrupted blob', async () => {
    const bytes = Buffer.from('pristine content '.repeat(100));
    const digest = await uploadBlob('corrupt/repo', bytes);
    const layout = await new LayoutStore(dir.path).repository('corrupt/repo', { create: false });
    const tampered = Buffer.from(bytes);
    tampered[3] = 0;
    await writeFile(layout.blobPath(digest), tampered);
    // headers may or may not have gone out before the cut: either fetch or the body read fails
    const read = fetch(`${base}/v2/corrupt/repo/blobs/${digest}`).then((res) => res.arrayBuffer());
    await expect(read).rejects.toThrow();
  });
});

describe('built-in registry: manifests', () => {
  it('refuses a manifest whose blobs are missing', async () => {
    const image = makeArtifact('missing-blobs');
    const res = await fetch(`${base}/v2/man/repo/manifests/v1`, {
      method: 'PUT',
      body: image.manifest.bytes,
      headers: { 'Content-Type': MediaTypes.ociImageManifest },
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe('MANIFEST_BLOB_UNKNOWN');
  });

  it('stores by tag and serves by tag and digest with the stored media type', async () => {
    const image = makeArtifact('stored');
    const put = await pushImage('man/repo', image, 'v1');
    expect(put.status).toBe(201);
    const digest = image.manifest.desc.digest;
    expect(put.headers.get('docker-content-digest')).toBe(digest);
    expect(put.headers.get('location')).toBe(`/v2/man/repo/manifests/${digest}`);
    for (const ref of ['v1', digest]) {
      const get = await fetch(`${base}/v2/man/repo/manifests/${ref}`, {
        headers: { Accept: MediaTypes.ociImageManifest },
      });
      expect(get.status).toBe(200);
      expect(get.headers.get('content-type')).toBe(MediaTypes.ociImageManifest);
      expect(get.headers.get('docker-content-digest')).toBe(digest);
      expect(Buffer.from(await get.arrayBuffer()).equals(image.manifest.bytes)).toBe(true);
    }
    const head = await fetch(`${base}/v2/man/repo/manifests/v1`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(image.manifest.bytes.length));
    const layerAsManifest = await fetch(`${base}/v2/man/repo/manifests/${image.layers[0]!.desc.digest}`);
    expect(layerAsManifest.status).toBe(404);
    expect(await errorCode(layerAsManifest)).toBe('MANIFEST_UNKNOWN');
  });

  it('accepts Docker schema 2 manifests and serves them back as Docker', async () => {
    const config = blob('{"architecture":"amd64","os":"linux"}', MediaTypes.dockerConfig);
    const layer = blob('docker layer', MediaTypes.dockerLayerGzip);
    const manifest = blob(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaTypes.dockerManifest,
        config: config.desc,
        layers: [layer.desc],
      }),
      MediaTypes.dockerManifest,
    );
    const put = await pushImage('man/docker', { manifest, config, layers: [layer] }, 'latest');
    expect(put.status).toBe(201);
    const get = await fetch(`${base}/v2/man/docker/manifests/latest`);
    expect(get.headers.get('content-type')).toBe(MediaTypes.dockerManifest);
    await get.body?.cancel();
  });

  it('checks digest references, media types and size', async () => {
    const image = makeArtifact('checks');
    await pushImage('man/checks', image, 'v1');
    const wrongDigest = await fetch(`${base}/v2/man/checks/manifests/${sha256(Buffer.from('x'))}`, {
      method: 'PUT',
      body: image.manifest.bytes,
      headers: { 'Content-Type': MediaTypes.ociImageManifest },
    });
    expect(await errorCode(wrongDigest)).toBe('DIGEST_INVALID');
    const byDigest = await fetch(`${base}/v2/man/checks/manifests/${image.manifest.desc.digest}`, {
      method: 'PUT',
      body: image.manifest.bytes,
      headers: { 'Content-Type': MediaTypes.ociImageManifest },
    });
    expect(byDigest.status).toBe(201);
    const mismatch = await fetch(`${base}/v2/man/checks/manifests/v2`, {
      method: 'PUT',
      body: image.manifest.bytes,
      headers: { 'Content-Type': MediaTypes.dockerManifest },
    });
    expect(mismatch.status).toBe(400);
    expect(await errorCode(mismatch)).toBe('MANIFEST_INVALID');
    const notJson = await fetch(`${base}/v2/man/checks/manifests/v3`, { method: 'PUT', body: 'not json' });
    expect(await errorCode(notJson)).toBe('MANIFEST_INVALID');
    const huge = await fetch(`${base}/v2/man/checks/manifests/v4`, {
      method: 'PUT',
      body: Buffer.alloc(4 * 1024 * 1024 + 1, 32),
      headers: { 'Content-Type': MediaTypes.ociImageManifest },
    });
    expect(huge.status).toBe(413);
    await huge.body?.cancel();
    const badTag = await fetch(`${base}/v2/man/checks/manifests/-bad`, {
      method: 'PUT',
      body: image.manifest.bytes,
    });
    expect(await errorCode(badTag)).toBe('TAG_INVALID');
  });

  it('deletes tags, manifests and blobs', async () => {
    const image = makeArtifact('deletable');
    await pushImage('man/delete', image, 'a');
    await fetch(`${base}/v2/man/delete/manifests/b`, {
      method: 'PUT',
      body: image.manifest.bytes,
      headers: { 'Content-Type': MediaTypes.ociImageManifest },
    });
    expect((await fetch(`${base}/v2/man/delete/manifests/a`, { method: 'DELETE' })).status).toBe(202);
    expect(await (await fetch(`${base}/v2/man/delete/tags/list`)).json()).toEqual({
      name: 'man/delete',
      tags: ['b'],
    });
    const digest = image.manifest.desc.digest;
    expect((await fetch(`${base}/v2/man/delete/manifests/${digest}`, { method: 'DELETE' })).status).toBe(202);
    const afterDelete = await fetch(`${base}/v2/man/delete/manifests/b`);
    expect(afterDelete.status).toBe(404);
    expect(await errorCode(afterDelete)).toBe('MANIFEST_UNKNOWN');
    const layer = image.layers[0]!.desc.digest;
    expect((await fetch(`${base}/v2/man/delete/blobs/${layer}`, { method: 'DELETE' })).status).toBe(202);
    const blobGone = await fetch(`${base}/v2/man/delete/blobs/${layer}`);
    expect(await errorCode(blobGone)).toBe('BLOB_UNKNOWN');
  });
});

describe('built-in registry: listings and referrers', () => {
  it('pages tags and the catalog with n, last and Link', async () => {
    const image = makeArtifact('paged');
    for (const tag of ['e', 'c', 'a', 'd', 'b']) await pushImage('list/repo', image, tag);
    const first = await fetch(`${base}/v2/list/repo/tags/list?n=2`);
    expect(await first.json()).toEqual({ name: 'list/repo', tags: ['a', 'b'] });
    const link = first.headers.get('link')!;
    expect(link).toBe('</v2/list/repo/tags/list?n=2&last=b>; rel="next"');
    const second = await fetch(new URL(link.slice(1, link.indexOf('>')), base));
    expect(((await second.json()) as { tags: string[] }).tags).toEqual(['c', 'd']);
    const last = await fetch(`${base}/v2/list/repo/tags/list?n=2&last=d`);
    expect(((await last.json()) as { tags: string[] }).tags).toEqual(['e']);
    expect(last.headers.get('link')).toBeNull();
    expect(
      ((await (await fetch(`${base}/v2/list/repo/tags/list`)).json()) as { tags: string[] }).tags,
    ).toHaveLength(5);
    const badN = await fetch(`${base}/v2/list/repo/tags/list?n=abc`);
    expect(badN.status).toBe(400);
    await badN.body?.cancel();

    const catalog = await fetch(`${base}/v2/_catalog?n=1&last=list/repo`);
    const page = (await catalog.json()) as { repositories: string[] };
    expect(page.repositories).toHaveLength(1);
    expect(page.repositories[0]! > 'list/repo').toBe(true);
    expect(catalog.headers.get('link')).toContain('rel="next"');
    const all = (await (await fetch(`${base}/v2/_catalog`)).json()) as { repositories: string[] };
    expect(all.repositories).toEqual([...all.repositories].sort());
    expect(all.repositories).toContain('list/repo');
  });

  it('lists referrers of a subject, filtered by artifactType', async () => {
    const subject = makeArtifact('subject');
    await pushImage('ref/repo', subject, 'v1');
    const sig = makeArtifact('sig', {
      artifactType: 'application/vnd.example.sig',
      subject: subject.manifest.desc,
      annotations: { 'org.example.kind': 'signature' },
    });
    const sbom = makeArtifact('sbom', {
      artifactType: 'application/spdx+json',
      subject: subject.manifest.desc,
    });
    for (const r of [sig, sbom]) {
      const put = await pushImage('ref/repo', r, r.manifest.desc.digest);
      expect(put.status).toBe(201);
      expect(put.headers.get('oci-subject')).toBe(subject.manifest.desc.digest);
    }
    const res = await fetch(`${base}/v2/ref/repo/referrers/${subject.manifest.desc.digest}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(MediaTypes.ociImageIndex);
    const index = (await res.json()) as {
      manifests: { digest: string; artifactType: string; annotations?: object }[];
    };
    expect(index.manifests.map((m) => m.digest).sort()).toEqual(
      [sig.manifest.desc.digest, sbom.manifest.desc.digest].sort(),
    );
    expect(index.manifests.find((m) => m.digest === sig.manifest.desc.digest)!.annotations).toEqual({
      'org.example.kind': 'signature',
    });
    const filtered = await fetch(
      `${base}/v2/ref/repo/referrers/${subject.manifest.desc.digest}?artifactType=application/spdx%2Bjson`,
    );
    expect(filtered.headers.get('oci-filters-applied')).toBe('artifactType');
    expect(
      ((await filtered.json()) as { manifests: { digest: string }[] }).manifests.map((m) => m.digest),
    ).toEqual([sbom.manifest.desc.digest]);
    const none = await fetch(`${base}/v2/ref/repo/referrers/${sha256(Buffer.from('no subject'))}`);
    expect(((await none.json()) as { manifests: unknown[] }).manifests).toEqual([]);
    const bad = await fetch(`${base}/v2/ref/repo/referrers/sha256:zz`);
    expect(await errorCode(bad)).toBe('DIGEST_INVALID');
  });
});
