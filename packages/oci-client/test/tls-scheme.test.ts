/**
 * Scheme selection against real CNCF Distribution registries on loopback, one serving HTTPS with a
 * self-signed certificate and one plain HTTP (docs/oci.md, "TLS and plain HTTP"): `insecure` means
 * HTTPS without verification for loopback hosts too, and the wrong scheme in either direction is
 * one `SCHEME_MISMATCH` whose hint names the flag that fixes it.
 */
import { MediaTypes } from '@provisioning/schemas';
import { type RunningDistribution, startDistribution } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry, type RegistryOptions } from '../src/index.js';
import { extensionArtifact, FAST_RETRY, pushArtifact, readAll } from './helpers.js';

let tls: RunningDistribution;
let plain: RunningDistribution;
const clients: Registry[] = [];

beforeAll(async () => {
  [tls, plain] = await Promise.all([startDistribution({ tls: true }), startDistribution()]);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([tls?.stop(), plain?.stop()]);
});

function client(host: string, options: RegistryOptions = {}): Registry {
  const c = new Registry(host, { credentials: null, retry: FAST_RETRY, ...options });
  clients.push(c);
  return c;
}

describe('insecure: HTTPS without certificate verification', () => {
  it('talks HTTPS to a loopback registry: push, list and pull round-trip over TLS', async () => {
    const registry = client(tls.host, { insecure: true });
    expect(registry.origin).toBe(`https://${tls.host}`);
    await registry.ping();
    const repo = registry.repository('ns/redis');
    const art = extensionArtifact('redis', '1.0.0');
    await pushArtifact(repo, art, '1.0.0');
    expect(await repo.tags()).toEqual(['1.0.0']);
    const layer = await readAll(await repo.fetchBlob(art.layerDesc));
    expect(layer.equals(art.layer)).toBe(true);
  });

  it('plainHttp still wins over insecure, and without insecure loopback stays plain HTTP', () => {
    expect(client(tls.host, { insecure: true, plainHttp: true }).origin).toBe(`http://${tls.host}`);
    expect(client(tls.host).origin).toBe(`http://${tls.host}`);
    expect(client('registry.example.com', { insecure: true }).origin).toBe('https://registry.example.com');
  });
});

describe('the wrong scheme is one clear error naming the flag', () => {
  it('plain HTTP to the HTTPS registry: SCHEME_MISMATCH suggesting --insecure or https:// (GET, HEAD, ping)', async () => {
    const registry = client(tls.host);
    const repo = registry.repository('ns/redis');
    const failures = await Promise.all([
      repo.tags().catch((e: unknown) => e),
      repo.resolve('1.0.0').catch((e: unknown) => e),
      repo.exists(extensionArtifact('redis', '1.0.0').layerDesc).catch((e: unknown) => e),
      registry.ping().catch((e: unknown) => e),
    ]);
    for (const error of failures) {
      expect(error).toMatchObject({ code: 'SCHEME_MISMATCH', kind: 'network', retryable: false });
      const { message, hint } = error as { message: string; hint: string };
      expect(message).toContain(`${tls.host} serves HTTPS and refused a plain HTTP request`);
      expect(message).not.toContain('\n');
      expect(hint).toContain('--insecure');
      expect(hint).toContain(`https://${tls.host}/`);
    }
  });

  it('HTTPS to the plain registry: SCHEME_MISMATCH suggesting --plain-http or http://, without retrying', async () => {
    const started = Date.now();
    const registry = client(plain.host, {
      insecure: true,
      retry: { ...FAST_RETRY, baseDelayMs: 2000, minDelayMs: 2000, maxDelayMs: 2000 },
    });
    const error = await registry
      .repository('ns/redis')
      .tags()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SCHEME_MISMATCH', kind: 'network' });
    expect((error as Error).message).toContain(`${plain.host} serves plain HTTP, not HTTPS`);
    expect((error as { hint: string }).hint).toContain('--plain-http');
    expect((error as { hint: string }).hint).toContain(`http://${plain.host}/`);
    // a retry would have waited 2 s first
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a self-signed certificate without insecure still says --insecure (NETWORK_ERROR, not retried)', async () => {
    const started = Date.now();
    const error = await client(tls.host, {
      plainHttp: false,
      retry: { ...FAST_RETRY, baseDelayMs: 2000, minDelayMs: 2000, maxDelayMs: 2000 },
    })
      .ping()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', kind: 'network', retryable: false });
    expect((error as { hint: string }).hint).toContain('--insecure');
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('manifest media type sanity', () => {
  it('the pushed manifest is the OCI image manifest the helper built', async () => {
    const repo = client(tls.host, { insecure: true }).repository('ns/redis');
    const resolved = await repo.resolve('1.0.0');
    expect(resolved.mediaType).toBe(MediaTypes.ociImageManifest);
  });
});
