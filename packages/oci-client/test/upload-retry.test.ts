/**
 * Blob uploads through a registry that rate-limits, fails at the gateway and loses upload sessions
 * (docs/oci.md, "Timeouts and retries"): a spent request body never ends the retries, because the
 * content is re-opened (a file, a blob of another store) for every attempt.
 */
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { MediaTypes } from '@provisioning/schemas';
import {
  type RunningDistribution,
  startDistribution,
  startFaultyProxy,
  startHttpServer,
  type TestHttpServer,
} from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copy, OciLayout, Registry, reopenable } from '../src/index.js';
import { makeTempDir, skopeo } from '../src/layout/test-support/fixtures.js';
import { extensionArtifact, FAST_RETRY, readAll } from './helpers.js';

let registry: RunningDistribution;
let dir: { path: string; cleanup(): Promise<void> };
const servers: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  registry = await startDistribution();
  dir = await makeTempDir('upload-retry-');
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await registry?.stop();
  await dir?.cleanup();
});

function bytesOf(seed: number, size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * seed + (i >> 7)) & 0xff;
  return out;
}

describe('pushing through a proxy that faults a fifth of the requests (429, 502, 503)', () => {
  it('gets every push of several extensions done, from files and from a layout, with intact content', async () => {
    const proxy = await startFaultyProxy(registry.host, { rate: 0.2, seed: 12 });
    servers.push(proxy);
    const client = new Registry(proxy.host, {
      credentials: null,
      retry: FAST_RETRY,
      // small chunks: the larger layers go up in several PATCHes
      chunkSize: 64 * 1024,
      monolithicMaxBytes: 150_000,
    });
    const artifacts = [1, 2, 3, 4, 5, 6].map((n) =>
      extensionArtifact(`ext${n}`, '1.0.0', bytesOf(n + 3, n * 40_000)),
    );
    try {
      for (const [i, art] of artifacts.entries()) {
        const repo = client.repository(`provisioning-extensions/ext${i + 1}`);
        const file = join(dir.path, `ext${i + 1}.tar.gz`);
        await writeFile(file, art.layer);
        if (i % 2 === 0) {
          // Straight from the file, the way `oci push` sends a packaged tarball.
          await repo.pushBlob(art.configDesc, art.config);
          await repo.pushBlob(
            art.layerDesc,
            reopenable(() => createReadStream(file)),
          );
          await repo.pushManifest(art.manifestBytes, MediaTypes.ociImageManifest, '1.0.0');
        } else {
          // From a layout, the way `oci copy` and the embedded storage hand content over.
          const layout = await OciLayout.open(join(dir.path, `layout${i + 1}`), { create: true });
          await layout.push(art.configDesc, art.config);
          await layout.push(art.layerDesc, art.layer);
          await layout.push(art.manifestDesc, art.manifestBytes, { tag: '1.0.0' });
          await copy(layout, '1.0.0', repo, '1.0.0');
        }
      }
    } finally {
      await client.close();
    }
    // The run did meet faults on uploads, not only on reads.
    expect(proxy.injected.length).toBeGreaterThan(10);
    expect(proxy.injected.some((f) => f.method === 'PUT' && f.url.includes('/blobs/uploads/'))).toBe(true);
    expect(proxy.injected.some((f) => f.method === 'PATCH')).toBe(true);

    // What the registry holds, read past the proxy by skopeo and by a clean client.
    const direct = new Registry(registry.host, { credentials: null });
    try {
      for (const [i, art] of artifacts.entries()) {
        const ref = `docker://${registry.host}/provisioning-extensions/ext${i + 1}:1.0.0`;
        const raw = await skopeo('inspect', '--raw', '--tls-verify=false', ref);
        expect(raw).toBe(art.manifestBytes.toString());
        const repo = direct.repository(`provisioning-extensions/ext${i + 1}`);
        expect((await readAll(await repo.fetchBlob(art.layerDesc))).equals(art.layer)).toBe(true);
      }
    } finally {
      await direct.close();
    }
  });
});

/** Forward to the registry, except as `override` decides (return true when it answered). */
async function scriptedProxy(
  override: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean,
): Promise<TestHttpServer> {
  const proxy = await startHttpServer((req, res) => {
    if (override(req, res)) return;
    const forward = httpRequest(
      {
        host: '127.0.0.1',
        port: Number(registry.host.split(':')[1]),
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  servers.push(proxy);
  return proxy;
}

describe('an upload the registry cannot finish at once', () => {
  it('starts a new session when the registry lost the first (404 BLOB_UPLOAD_UNKNOWN)', async () => {
    let lost = 0;
    const proxy = await scriptedProxy((req, res) => {
      if (req.method === 'PUT' && req.url?.includes('/blobs/uploads/') && lost === 0) {
        lost++;
        req.resume();
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"errors":[{"code":"BLOB_UPLOAD_UNKNOWN","message":"blob upload unknown to registry"}]}');
        return true;
      }
      return false;
    });
    const art = extensionArtifact('lost', '1.0.0', bytesOf(5, 90_000));
    const file = join(dir.path, 'lost.tar.gz');
    await writeFile(file, art.layer);
    const client = new Registry(proxy.host, { credentials: null, retry: FAST_RETRY });
    try {
      const repo = client.repository('ns/lost');
      expect(
        await repo.pushBlob(
          art.layerDesc,
          reopenable(() => createReadStream(file)),
        ),
      ).toBe('uploaded');
      expect(lost).toBe(1);
      const sessions = proxy.requests.filter((r) => r.method === 'POST' && r.url.includes('/blobs/uploads/'));
      expect(sessions).toHaveLength(2);
      expect((await readAll(await repo.fetchBlob(art.layerDesc))).equals(art.layer)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('waits as long as Retry-After says before sending the body again', async () => {
    let limited = 0;
    const proxy = await scriptedProxy((req, res) => {
      if (req.method === 'PUT' && limited === 0) {
        limited++;
        req.resume();
        res.writeHead(429, { 'retry-after': '1' }).end();
        return true;
      }
      return false;
    });
    const art = extensionArtifact('patient', '1.0.0', bytesOf(9, 50_000));
    const file = join(dir.path, 'patient.tar.gz');
    await writeFile(file, art.layer);
    const client = new Registry(proxy.host, { credentials: null, retry: FAST_RETRY });
    try {
      const started = Date.now();
      await client.repository('ns/patient').pushBlob(
        art.layerDesc,
        reopenable(() => createReadStream(file)),
      );
      // back-off is capped at 50 ms here: only the server's `Retry-After: 1` explains the pause
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(proxy.requests.filter((r) => r.method === 'PUT')).toHaveLength(2);
    } finally {
      await client.close();
    }
  });

  it('a one-shot stream cannot be sent twice: the 429 is reported, not hidden', async () => {
    const proxy = await scriptedProxy((req, res) => {
      if (req.method !== 'PUT') return false;
      req.resume();
      res.writeHead(429, { 'retry-after': '0' }).end();
      return true;
    });
    const art = extensionArtifact('once', '1.0.0', bytesOf(11, 20_000));
    const client = new Registry(proxy.host, { credentials: null, retry: FAST_RETRY });
    try {
      const error = await client
        .repository('ns/once')
        .pushBlob(art.layerDesc, Readable.from([art.layer]))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429 });
      expect(proxy.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
    } finally {
      await client.close();
    }
  });
});
