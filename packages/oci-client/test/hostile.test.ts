import { createWriteStream } from 'node:fs';
import { access, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MediaTypes } from '@provisioning/schemas';
import { startHttpServer, type TempDir, type TestHttpServer, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from '../src/index.js';
import { OciLayout } from '../src/layout/oci-layout.js';
import { descriptorOf, FAST_RETRY, readAll } from './helpers.js';

const USER = 'carol';
const PASSWORD = 'hostile-test-password';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const SECRET_HEADER = 'x-registry-secret';

const servers: TestHttpServer[] = [];
const clients: Registry[] = [];
let work: TempDir;

async function server(...args: Parameters<typeof startHttpServer>): Promise<TestHttpServer> {
  const started = await startHttpServer(...args);
  servers.push(started);
  return started;
}

function client(host: string, options: ConstructorParameters<typeof Registry>[1] = {}): Registry {
  const made = new Registry(host, {
    credentials: { username: USER, password: PASSWORD },
    retry: FAST_RETRY,
    ...options,
  });
  clients.push(made);
  return made;
}

beforeAll(async () => {
  work = await tempDir('oci-hostile');
});

afterAll(async () => {
  for (const c of clients) await c.close();
  for (const s of servers) await s.close();
  await work?.remove();
});

const blob = Buffer.from('the real blob content');
const blobDesc = descriptorOf(MediaTypes.extensionContent, blob);

describe('credentials stay on their origin', () => {
  it('a cross-origin redirect on blob GET gets no Authorization or custom header (another port is another origin)', async () => {
    const bucket = await server((_req, res) => {
      res.writeHead(200, { 'content-length': String(blob.length) }).end(blob);
    });
    const registry = await server((req, res) => {
      if (req.headers.authorization !== BASIC) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="hostile"' }).end();
        return;
      }
      if (req.url === `/v2/ns/app/blobs/${blobDesc.digest}`) {
        // Same host, another port: S3-style redirect to storage.
        res.writeHead(307, { location: `${bucket.url}/storage/blob?sig=abc` }).end();
        return;
      }
      res.writeHead(404).end();
    });
    const repo = client(registry.host, { headers: { [SECRET_HEADER]: 'custom-secret' } }).repository(
      'ns/app',
    );
    expect((await readAll(await repo.fetchBlob(blobDesc))).equals(blob)).toBe(true);
    expect(bucket.requests).toHaveLength(1);
    expect(bucket.requests[0]!.headers.authorization).toBeUndefined();
    expect(bucket.requests[0]!.headers[SECRET_HEADER]).toBeUndefined();
    // The registry itself did get both.
    expect(registry.requests.at(-1)!.headers.authorization).toBe(BASIC);
    expect(registry.requests.at(-1)!.headers[SECRET_HEADER]).toBe('custom-secret');
  });

  it('an upload Location on another origin receives no credentials', async () => {
    const elsewhere = await server((req, res) => {
      res.writeHead(req.method === 'PUT' ? 201 : 404).end();
    });
    const registry = await server((req, res) => {
      if (req.headers.authorization !== BASIC) {
        res.writeHead(401, { 'www-authenticate': 'basic realm=hostile' }).end();
        return;
      }
      if (req.method === 'HEAD') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(202, { location: `${elsewhere.url}/upload/session-1` }).end();
    });
    const repo = client(registry.host, { headers: { [SECRET_HEADER]: 'custom-secret' } }).repository(
      'ns/app',
    );
    expect(await repo.pushBlob(blobDesc, blob)).toBe('uploaded');
    expect(elsewhere.requests).toHaveLength(1);
    expect(elsewhere.requests[0]!.method).toBe('PUT');
    expect(elsewhere.requests[0]!.headers.authorization).toBeUndefined();
    expect(elsewhere.requests[0]!.headers[SECRET_HEADER]).toBeUndefined();
    expect(elsewhere.requests[0]!.url).toContain(`digest=${encodeURIComponent(blobDesc.digest)}`);
  });

  it('refuses a Link to another origin when listing tags', async () => {
    const other = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"ns/app","tags":["stolen"]}');
    });
    const registry = await server((req, res) => {
      if (req.headers.authorization !== BASIC) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="hostile"' }).end();
        return;
      }
      res
        .writeHead(200, {
          'content-type': 'application/json',
          link: `<${other.url}/v2/ns/app/tags/list?last=a>; rel="next"`,
        })
        .end('{"name":"ns/app","tags":["a"]}');
    });
    const error = await client(registry.host)
      .repository('ns/app')
      .tags()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CROSS_ORIGIN_LINK', kind: 'registry' });
    expect(other.requests).toHaveLength(0);
  });

  it('follows same-origin Link pages (relative links), stopping at the page cap', async () => {
    let pages = 0;
    const registry = await server((req, res) => {
      pages++;
      const n = Number(new URL(req.url!, 'http://x').searchParams.get('page') ?? '0');
      res
        .writeHead(200, {
          'content-type': 'application/json',
          link: `</v2/ns/app/tags/list?page=${n + 1}>; rel="next"`,
        })
        .end(JSON.stringify({ name: 'ns/app', tags: [`t${n}`] }));
    });
    const repo = client(registry.host, { credentials: null }).repository('ns/app');
    const error = await repo.tags().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOO_MANY_PAGES' });
    expect(pages).toBe(1000);
  });

  it('refuses a token realm on another origin over plain HTTP (HTTPS registry) and never contacts it', async () => {
    const realm = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"t"}');
    });
    const registry = await server(
      (_req, res) => {
        res
          .writeHead(401, { 'www-authenticate': `Bearer realm="${realm.url}/token",service="hostile"` })
          .end();
      },
      { tls: true },
    );
    const error = await client(registry.host, { insecure: true, plainHttp: false })
      .repository('ns/app')
      .tags()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REALM_REFUSED', kind: 'registry' });
    expect((error as Error).message).toContain(realm.url);
    expect(realm.requests).toHaveLength(0);
    expect(registry.requests.length).toBeGreaterThan(0);
  });

  it('refuses a non-loopback plain-HTTP realm even for a loopback registry', async () => {
    const registry = await server((_req, res) => {
      res
        .writeHead(401, { 'www-authenticate': 'Bearer realm="http://auth.example.com/token",service="x"' })
        .end();
    });
    const error = await client(registry.host)
      .repository('ns/app')
      .tags()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REALM_REFUSED' });
  });

  it('refuses an HTTPS → HTTP redirect', async () => {
    const plain = await server((_req, res) => {
      res.writeHead(200).end(blob);
    });
    const registry = await server(
      (_req, res) => {
        res.writeHead(302, { location: `${plain.url}/blob` }).end();
      },
      { tls: true },
    );
    const error = await client(registry.host, { insecure: true, plainHttp: false, credentials: null })
      .repository('ns/app')
      .fetchBlob(blobDesc)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REDIRECT_REFUSED' });
    expect(plain.requests).toHaveLength(0);
  });
});

describe('TLS', () => {
  it('an untrusted certificate is a network error suggesting --insecure; insecure skips verification', async () => {
    const registry = await server(
      (_req, res) => {
        res.writeHead(200, { 'docker-distribution-api-version': 'registry/2.0' }).end('{}');
      },
      { tls: true },
    );
    const strict = client(registry.host, {
      plainHttp: false,
      credentials: null,
      retry: { ...FAST_RETRY, maxTries: 1 },
    });
    const error = await strict.ping().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', kind: 'network' });
    expect((error as { hint: string }).hint).toContain('--insecure');
    await client(registry.host, { plainHttp: false, insecure: true, credentials: null }).ping();
  });
});

describe('tampered content', () => {
  it('a blob whose bytes do not match its digest errors the stream; temp+rename keeps nothing', async () => {
    const tampered = Buffer.from('the evil blob content');
    expect(tampered.length).toBe(blob.length);
    const registry = await server((_req, res) => {
      res.writeHead(200, { 'content-length': String(tampered.length) }).end(tampered);
    });
    const repo = client(registry.host, { credentials: null }).repository('ns/app');
    const final = join(work.path, 'blob.bin');
    const temp = `${final}.partial`;
    const error = await pipeline(await repo.fetchBlob(blobDesc), createWriteStream(temp))
      .then(() => rename(temp, final))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DIGEST_MISMATCH', kind: 'registry' });
    expect((error as Error).message).toContain(blobDesc.digest);
    await expect(access(final)).rejects.toThrow();
  });

  it('a layout fed straight from a registry stream (hashed once, by the fetch) keeps nothing tampered', async () => {
    const tampered = Buffer.from('the evil blob content');
    const registry = await server((_req, res) => {
      res.writeHead(200, { 'content-length': String(tampered.length) }).end(tampered);
    });
    const repo = client(registry.host, { credentials: null }).repository('ns/app');
    const layout = await OciLayout.open(join(work.path, 'fed-layout'), { create: true });
    const error = await layout.push(blobDesc, await repo.fetchBlob(blobDesc)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DIGEST_MISMATCH', kind: 'registry' });
    expect(await layout.exists(blobDesc)).toBe(false);
    expect(await readdir(layout.ingestDir)).toEqual([]);
  });

  it('a blob longer than its descriptor is refused', async () => {
    const registry = await server((_req, res) => {
      res.writeHead(200).end(Buffer.concat([blob, Buffer.from('extra')]));
    });
    const repo = client(registry.host, { credentials: null }).repository('ns/app');
    const error = await readAll(await repo.fetchBlob(blobDesc)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DIGEST_MISMATCH' });
  });

  it('a Content-Length that disagrees with the descriptor is DIGEST_MISMATCH, without a stray error event', async () => {
    // a shorter body announced as such (a truncated blob file in the registry's storage)
    const short = blob.subarray(0, blob.length - 3);
    const registry = await server((_req, res) => {
      res.writeHead(200, { 'content-length': String(short.length) }).end(short);
    });
    const repo = client(registry.host, { credentials: null }).repository('ns/app');
    const stray: unknown[] = [];
    const onStray = (e: unknown) => stray.push(e);
    process.on('uncaughtException', onStray);
    try {
      const error = await repo.fetchBlob(blobDesc).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DIGEST_MISMATCH', kind: 'registry' });
      expect((error as Error).message).toContain(`announces ${short.length} bytes`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stray).toEqual([]);
    } finally {
      process.off('uncaughtException', onStray);
    }
  });

  it('a manifest fetched by digest must hash to it; a lying Docker-Content-Digest is caught', async () => {
    const manifest = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociImageManifest, layers: [] }),
    );
    const claimed = descriptorOf(MediaTypes.ociImageManifest, Buffer.from('something else'));
    const registry = await server((_req, res) => {
      res
        .writeHead(200, {
          'content-type': MediaTypes.ociImageManifest,
          'docker-content-digest': claimed.digest,
        })
        .end(manifest);
    });
    const repo = client(registry.host, { credentials: null }).repository('ns/app');
    await expect(repo.fetchManifest(claimed.digest)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    await expect(repo.fetchManifest('1.0.0')).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
  });

  it('a manifest over 4 MiB is refused without buffering it', async () => {
    const registry = await server((_req, res) => {
      res.writeHead(200, { 'content-type': MediaTypes.ociImageManifest });
      // No Content-Length: chunked, so only the streaming cap can catch it.
      const piece = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 5; i++) res.write(piece);
      res.end('{}');
    });
    const repo = client(registry.host, { credentials: null }).repository('ns/app');
    await expect(repo.fetchManifest('big')).rejects.toMatchObject({ code: 'MANIFEST_TOO_LARGE' });
  });
});

describe('delete disabled', () => {
  it('405 UNSUPPORTED becomes DELETE_DISABLED with the reference', async () => {
    const digest = blobDesc.digest;
    const registry = await server((req, res) => {
      if (req.method === 'DELETE') {
        res
          .writeHead(405, { 'content-type': 'application/json' })
          .end('{"errors":[{"code":"UNSUPPORTED","message":"The operation is unsupported."}]}');
        return;
      }
      res.writeHead(404).end();
    });
    const error = await client(registry.host, { credentials: null })
      .repository('ns/app')
      .deleteManifest(digest)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DELETE_DISABLED', kind: 'registry', status: 405 });
    expect((error as Error).message).toMatch(/^deletion disabled on this registry/);
    expect((error as Error).message).toContain(`ns/app@${digest}`);
  });
});
