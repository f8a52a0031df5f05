import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type RunningDistribution,
  startDistribution,
  startTokenServer,
  type TempDir,
  type TokenServer,
  tempDir,
} from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCredentialProvider, login, Registry } from '../src/index.js';
import { extensionArtifact, FAST_RETRY, pushArtifact, readAll } from './helpers.js';

const USER = 'builder';
const PASSWORD = 'pa55-word-bearer';

let tokens: TokenServer;
let registry: RunningDistribution;
let home: TempDir;

beforeAll(async () => {
  tokens = await startTokenServer({ users: { [USER]: PASSWORD }, anonymousPull: true });
  registry = await startDistribution({
    auth: {
      token: {
        realm: tokens.realm,
        service: tokens.service,
        issuer: tokens.issuerName,
        rootCertPem: tokens.issuer.certPem,
      },
    },
  });
  home = await tempDir('oci-bearer-home');
});

afterAll(async () => {
  await registry?.stop();
  await tokens?.close();
  await home?.remove();
});

describe('bearer token flow against Distribution (auth: token)', () => {
  it('pushes and pulls with user credentials, asking for pull,push and caching tokens per scope', async () => {
    const lines: string[] = [];
    const client = new Registry(registry.host, {
      credentials: { username: USER, password: PASSWORD },
      retry: FAST_RETRY,
      debug: (line) => lines.push(line),
    });
    try {
      const art = extensionArtifact('containerd', '1.7.0');
      const repo = client.repository('provisioning-extensions/containerd');
      const before = tokens.grants.length;
      await pushArtifact(repo, art, '1.7.0');
      const pushGrants = tokens.grants.slice(before);
      expect(
        pushGrants.some((g) => g.scopes.includes('repository:provisioning-extensions/containerd:pull,push')),
      ).toBe(true);
      expect(pushGrants.every((g) => g.account === USER)).toBe(true);

      const afterPush = tokens.grants.length;
      expect(await repo.tags()).toEqual(['1.7.0']);
      expect((await readAll(await repo.fetchBlob(art.layerDesc))).equals(art.layer)).toBe(true);
      await repo.fetchManifest('1.7.0');
      // The pull token fetched for the HEAD at the start of the push is still cached: no new grant.
      expect(tokens.grants.length - afterPush).toBe(0);
      expect(
        pushGrants.filter((g) => g.scopes.join() === 'repository:provisioning-extensions/containerd:pull'),
      ).toHaveLength(1);

      // Secrets never show in debug output.
      const joined = lines.join('\n');
      expect(joined).not.toContain(PASSWORD);
      expect(joined).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    } finally {
      await client.close();
    }
  });

  it('asks for pull on the source repository when mounting', async () => {
    const client = new Registry(registry.host, {
      credentials: { username: USER, password: PASSWORD },
      retry: FAST_RETRY,
    });
    try {
      const art = extensionArtifact('containerd', '1.7.0');
      const before = tokens.grants.length;
      const result = await client
        .repository('mirror/containerd')
        .pushBlob(art.layerDesc, art.layer, { mountFrom: 'provisioning-extensions/containerd' });
      expect(result).toBe('mounted');
      const scopes = tokens.grants.slice(before).flatMap((g) => g.scopes);
      expect(scopes).toContain('repository:provisioning-extensions/containerd:pull');
      expect(scopes).toContain('repository:mirror/containerd:pull,push');
    } finally {
      await client.close();
    }
  });

  it('anonymous clients get pull-only tokens; a push then fails with a login hint', async () => {
    const client = new Registry(registry.host, { credentials: null, retry: FAST_RETRY });
    try {
      const repo = client.repository('provisioning-extensions/containerd');
      expect(await repo.tags()).toEqual(['1.7.0']);
      const art = extensionArtifact('new', '0.1.0');
      const error = await repo.pushBlob(art.configDesc, art.config).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'UNAUTHORIZED', kind: 'registry' });
      expect((error as { hint: string }).hint).toContain('provisioning oci login');
    } finally {
      await client.close();
    }
  });

  it('exchanges an identity (refresh) token with POST grant_type=refresh_token', async () => {
    const refresh = 'refresh-token-for-builder';
    tokens.refreshTokens.set(refresh, USER);
    const client = new Registry(registry.host, {
      credentials: { identityToken: refresh },
      retry: FAST_RETRY,
    });
    try {
      const before = tokens.grants.length;
      const art = extensionArtifact('refresh', '1.0.0');
      await client.repository('team/refresh').pushBlob(art.configDesc, art.config);
      const grants = tokens.grants.slice(before);
      expect(grants.length).toBeGreaterThan(0);
      expect(grants.every((g) => g.via === 'POST' && g.account === USER)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('login verifies bearer credentials through the token server and rejects wrong ones', async () => {
    const result = await login(registry.host, { username: USER, password: PASSWORD }, { home: home.path });
    expect(result.origin).toBe(`http://${registry.host}`);
    const error = await login(registry.host, { username: USER, password: 'nope' }, { home: home.path }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'LOGIN_FAILED' });
  });

  it("uses the seed's auth_token_path (a file holding a registry token)", async () => {
    const token = tokens.issuer.signJwt({
      issuer: tokens.issuerName,
      service: tokens.service,
      subject: USER,
      access: [{ type: 'repository', name: 'provisioning-extensions/containerd', actions: ['pull'] }],
    });
    const path = join(home.path, 'registry.token');
    await writeFile(path, `${token}\n`, { mode: 0o600 });
    const client = new Registry(registry.host, {
      credentials: defaultCredentialProvider({ tokenPath: path, dockerConfig: false, home: home.path }),
      retry: FAST_RETRY,
    });
    try {
      const before = tokens.grants.length;
      expect(await client.repository('provisioning-extensions/containerd').tags()).toEqual(['1.7.0']);
      // The token was used as-is: the token server was not asked.
      expect(tokens.grants.length).toBe(before);
    } finally {
      await client.close();
    }
  });
});

describe('token server without OAuth2 POST', () => {
  it('falls back to GET when POST answers 404', async () => {
    const getOnly = await startTokenServer({
      users: { [USER]: PASSWORD },
      rejectPost: true,
      anonymousPull: true,
    });
    const reg = await startDistribution({
      auth: {
        token: {
          realm: getOnly.realm,
          service: getOnly.service,
          issuer: getOnly.issuerName,
          rootCertPem: getOnly.issuer.certPem,
        },
      },
    });
    const client = new Registry(reg.host, {
      credentials: { username: USER, password: PASSWORD, identityToken: 'unknown-to-this-server' },
      retry: FAST_RETRY,
    });
    try {
      const art = extensionArtifact('fallback', '1.0.0');
      await client.repository('team/fallback').pushBlob(art.configDesc, art.config);
      expect(getOnly.grants.length).toBeGreaterThan(0);
      expect(getOnly.grants.every((g) => g.via === 'GET' && g.account === USER)).toBe(true);
      expect(getOnly.requests.some((r) => r.method === 'POST')).toBe(true);
    } finally {
      await client.close();
      await reg.stop();
      await getOnly.close();
    }
  });
});
