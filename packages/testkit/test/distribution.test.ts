import { afterAll, describe, expect, it } from 'vitest';
import {
  type RunningDistribution,
  requireBinary,
  startDistribution,
  startTokenServer,
  tempDir,
} from '../src/index.js';

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

async function track(registry: Promise<RunningDistribution>): Promise<RunningDistribution> {
  const started = await registry;
  stops.push(started.stop);
  return started;
}

describe('startDistribution', () => {
  it('starts an anonymous registry on loopback and removes its storage on stop', async () => {
    const registry = await startDistribution();
    expect(registry.host).toMatch(/^127\.0\.0\.1:\d+$/);
    const res = await fetch(`${registry.url}/v2/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    await registry.stop();
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
  });

  it('protects the registry with htpasswd (bcrypt made in Node)', async () => {
    const registry = await track(
      startDistribution({ auth: { htpasswd: { user: 'alice', password: 's3cret' } } }),
    );
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(401);
    const good = Buffer.from('alice:s3cret').toString('base64');
    expect((await fetch(`${registry.url}/v2/`, { headers: { authorization: `Basic ${good}` } })).status).toBe(
      200,
    );
    const bad = Buffer.from('alice:wrong').toString('base64');
    expect((await fetch(`${registry.url}/v2/`, { headers: { authorization: `Basic ${bad}` } })).status).toBe(
      401,
    );
  });

  it('accepts ES256 tokens from the test token server', async () => {
    const tokens = await startTokenServer({ users: { bob: 'pw' } });
    stops.push(tokens.close);
    const registry = await track(
      startDistribution({
        auth: {
          token: {
            realm: tokens.realm,
            service: tokens.service,
            issuer: tokens.issuerName,
            rootCertPem: tokens.issuer.certPem,
          },
        },
      }),
    );
    const challenge = await fetch(`${registry.url}/v2/`);
    expect(challenge.status).toBe(401);
    expect(challenge.headers.get('www-authenticate')).toContain(`realm="${tokens.realm}"`);

    const basic = Buffer.from('bob:pw').toString('base64');
    const tokenRes = await fetch(`${tokens.realm}?service=${tokens.service}&scope=repository:ns/app:pull`, {
      headers: { authorization: `Basic ${basic}` },
    });
    expect(tokenRes.status).toBe(200);
    const { token } = (await tokenRes.json()) as { token: string };
    const ok = await fetch(`${registry.url}/v2/`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    const tags = await fetch(`${registry.url}/v2/ns/app/tags/list`, {
      headers: { authorization: `Bearer ${token}` },
    });
    // Authorized but the repository does not exist yet.
    expect(tags.status).toBe(404);

    const forged = `${token.slice(0, -4)}AAAA`;
    expect(
      (await fetch(`${registry.url}/v2/`, { headers: { authorization: `Bearer ${forged}` } })).status,
    ).toBe(401);
  });
});

describe('helpers', () => {
  it('requireBinary finds installed tools and names the apt package for missing ones', () => {
    expect(requireBinary('docker-registry')).toMatch(/docker-registry$/);
    expect(() => requireBinary('no-such-tool-xyz')).toThrow(/apt-get install -y no-such-tool-xyz/);
  });

  it('tempDir creates and removes a directory', async () => {
    const { access } = await import('node:fs/promises');
    const dir = await tempDir('tk');
    await access(dir.path);
    await dir.remove();
    await expect(access(dir.path)).rejects.toThrow();
  });
});
