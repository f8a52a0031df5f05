import { isProvisioningError, MediaTypes } from '@provisioning/schemas';
import { startHttpServer, type TestHttpServer } from '@provisioning/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { Registry } from '../src/index.js';
import { parseManifest } from '../src/layout/manifest-json.js';
import { descriptorOf, FAST_RETRY } from './helpers.js';

// A manifest nested thousands of levels deep (issue 10, defect 15) is refused before it is parsed
// or walked, naming where it came from; brackets inside strings do not count.
const servers: TestHttpServer[] = [];
const clients: Registry[] = [];
afterAll(async () => {
  for (const c of clients) await c.close();
  for (const s of servers) await s.close();
});

const DEPTH = 10_000;
const deep = Buffer.from(
  `{"schemaVersion":2,"mediaType":"${MediaTypes.ociImageManifest}","config":{},"layers":[],"annotations":{"x":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}}`,
);
const shallowWithBrackets = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaTypes.ociImageManifest,
    config: descriptorOf(MediaTypes.extensionConfig, Buffer.from('{}')),
    layers: [],
    annotations: { note: '['.repeat(DEPTH) },
  }),
);

async function serving(body: Buffer): Promise<Registry> {
  const { digest } = descriptorOf(MediaTypes.ociImageManifest, body);
  const server = await startHttpServer((_req, res) => {
    res
      .writeHead(200, { 'content-type': MediaTypes.ociImageManifest, 'docker-content-digest': digest })
      .end(body);
  });
  servers.push(server);
  const registry = new Registry(server.host, { credentials: null, retry: FAST_RETRY });
  clients.push(registry);
  return registry;
}

describe('deeply nested manifests', () => {
  it('from a registry: INPUT_TOO_DEEP naming the reference, kind input', async () => {
    const registry = await serving(deep);
    const error = await registry
      .repository('ns/app')
      .fetchManifest('1.0.0')
      .catch((e: unknown) => e);
    expect(isProvisioningError(error) && error.code).toBe('INPUT_TOO_DEEP');
    expect(isProvisioningError(error) && error.exitCode).toBe(1);
    expect((error as Error).message).toMatch(
      /^manifest .*ns\/app:1\.0\.0.* is nested more than 64 levels deep$/,
    );
  });

  it('brackets inside strings are content, not nesting', async () => {
    const registry = await serving(shallowWithBrackets);
    const fetched = await registry.repository('ns/app').fetchManifest('1.0.0');
    expect((fetched.json.annotations as Record<string, string>).note).toHaveLength(DEPTH);
  });

  it('from a layout or a file: parseManifest refuses it the same way', () => {
    let error: unknown;
    try {
      parseManifest(deep, 'oci-layout:/tmp/x');
    } catch (e) {
      error = e;
    }
    expect(isProvisioningError(error) && error.code).toBe('INPUT_TOO_DEEP');
    expect((error as Error).message).toBe('manifest in oci-layout:/tmp/x is nested more than 64 levels deep');
    expect(parseManifest(shallowWithBrackets, 'here').schemaVersion).toBe(2);
  });
});
