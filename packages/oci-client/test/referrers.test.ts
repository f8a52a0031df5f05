import { MediaTypes } from '@provisioning/schemas';
import { readBody, startHttpServer, type TestHttpServer } from '@provisioning/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { Registry } from '../src/index.js';
import { descriptorOf, FAST_RETRY } from './helpers.js';

const servers: TestHttpServer[] = [];
const clients: Registry[] = [];
afterAll(async () => {
  for (const c of clients) await c.close();
  for (const s of servers) await s.close();
});

async function serve(handler: Parameters<typeof startHttpServer>[0]): Promise<Registry> {
  const server = await startHttpServer(handler);
  servers.push(server);
  const client = new Registry(server.host, { credentials: null, retry: FAST_RETRY });
  clients.push(client);
  return client;
}

const subject = descriptorOf(MediaTypes.ociImageManifest, Buffer.from('{"subject":true}'));
const sigA = {
  mediaType: MediaTypes.ociImageManifest,
  digest: descriptorOf('x', Buffer.from('a')).digest,
  size: 10,
  artifactType: 'application/vnd.example.sig',
};
const sbom = {
  mediaType: MediaTypes.ociImageManifest,
  digest: descriptorOf('x', Buffer.from('b')).digest,
  size: 11,
  artifactType: 'application/spdx+json',
};

describe('referrers', () => {
  it('uses the referrers API when present and filters by artifactType when the server did not', async () => {
    const client = await serve((req, res) => {
      if (req.url?.startsWith(`/v2/ns/app/referrers/${subject.digest}`)) {
        res.writeHead(200, { 'content-type': MediaTypes.ociImageIndex }).end(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: MediaTypes.ociImageIndex,
            manifests: [sigA, sbom],
          }),
        );
        return;
      }
      res.writeHead(404).end();
    });
    const repo = client.repository('ns/app');
    expect((await repo.referrers(subject.digest)).map((d) => d.digest)).toEqual([sigA.digest, sbom.digest]);
    expect(await repo.referrers(subject.digest, { artifactType: 'application/spdx+json' })).toEqual([sbom]);
    expect(client.capabilities.referrersApi).toBe(true);
  });

  it('does not touch the fallback tag when the registry answers OCI-Subject', async () => {
    const client = await serve(async (req, res) => {
      await readBody(req);
      if (req.method === 'PUT') {
        res.writeHead(201, { 'oci-subject': subject.digest }).end();
        return;
      }
      res.writeHead(404).end();
    });
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaTypes.ociImageManifest,
        config: sigA,
        layers: [],
        subject,
      }),
    );
    await client.repository('ns/app').pushManifest(manifest, MediaTypes.ociImageManifest);
    const server = servers.at(-1)!;
    expect(server.requests.map((r) => `${r.method} ${r.url.split('/').at(-1)}`)).toEqual([
      `PUT ${descriptorOf('x', manifest).digest}`,
    ]);
  });

  it('refuses to treat a fallback tag that is not an index as the referrers list', async () => {
    const notIndex = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociImageManifest, config: sigA, layers: [] }),
    );
    const client = await serve((req, res) => {
      if (req.url?.includes('/referrers/')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
        return;
      }
      if (req.url === `/v2/ns/app/manifests/sha256-${subject.digest.slice(7)}`) {
        // GitLab-style: the tag resolves to the subject manifest itself.
        res.writeHead(200, { 'content-type': MediaTypes.ociImageManifest }).end(notIndex);
        return;
      }
      res.writeHead(404).end();
    });
    await expect(client.repository('ns/app').referrers(subject.digest)).rejects.toMatchObject({
      code: 'REFERRERS_TAG_CONFLICT',
      kind: 'registry',
    });
  });
});
