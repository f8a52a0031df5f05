import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type RunningDistribution,
  startDistribution,
  type TempDir,
  tempDir,
  writeFakeCredentialHelper,
} from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore, login, logout, Registry } from '../src/index.js';
import { extensionArtifact, FAST_RETRY, pushArtifact, readAll } from './helpers.js';

const USER = 'alice';
const PASSWORD = 'correct-horse-battery';

let registry: RunningDistribution;
let home: TempDir;
const savedEnv = { ...process.env };

beforeAll(async () => {
  registry = await startDistribution({ auth: { htpasswd: { user: USER, password: PASSWORD } } });
  home = await tempDir('oci-auth-home');
  process.env.PROVISIONING_HOME = join(home.path, 'provisioning');
  process.env.DOCKER_CONFIG = join(home.path, 'docker');
});

afterAll(async () => {
  process.env = savedEnv;
  await registry?.stop();
  await home?.remove();
});

describe('htpasswd (basic) registry', () => {
  it('refuses anonymous access with a hint to log in', async () => {
    const client = new Registry(registry.host, { credentials: null, retry: FAST_RETRY });
    try {
      const error = await client
        .repository('team/app')
        .tags()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'UNAUTHORIZED', kind: 'registry', status: 401 });
      expect((error as { hint: string }).hint).toContain(`provisioning oci login ${registry.host}`);
    } finally {
      await client.close();
    }
  });

  it('login with a wrong password fails clearly, stores nothing and leaks nothing', async () => {
    const wrong = 'wrong-password-123';
    const lines: string[] = [];
    const error = await login(
      registry.host,
      { username: USER, password: wrong },
      { debug: (l) => lines.push(l) },
    ).catch((e: unknown) => e);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(wrong);
    expect(lines.join('\n')).not.toContain(Buffer.from(`${USER}:${wrong}`).toString('base64'));
    expect(error).toMatchObject({ code: 'LOGIN_FAILED', kind: 'registry' });
    expect((error as Error).message).toContain(registry.host);
    expect(JSON.stringify(error)).not.toContain(wrong);
    expect((error as Error).message).not.toContain(wrong);
    await expect(stat(join(process.env.PROVISIONING_HOME!, 'credentials.json'))).rejects.toThrow();
  });

  it('login verifies, then stores docker-format auths 0600 by host; clients use them', async () => {
    const result = await login(registry.host, { username: USER, password: PASSWORD });
    expect(result.origin).toBe(`http://${registry.host}`);
    expect(result.file).toBe(join(process.env.PROVISIONING_HOME!, 'docker', 'config.json'));
    const info = await stat(result.file);
    expect(info.mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(result.file, 'utf8')) as {
      auths: Record<string, { auth: string }>;
    };
    expect(stored.auths).toEqual({
      [registry.host]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') },
    });

    // The default provider reads the login file.
    const client = new Registry(registry.host, { retry: FAST_RETRY });
    try {
      const art = extensionArtifact('postgres', '15.0.0');
      const repo = client.repository('team/postgres');
      await pushArtifact(repo, art, '15.0.0');
      expect(await repo.tags()).toEqual(['15.0.0']);
      expect((await readAll(await repo.fetchBlob(art.layerDesc))).equals(art.layer)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('logout removes the entry; a second logout reports nothing to remove', async () => {
    expect(await logout(registry.host)).toBe(true);
    const file = join(process.env.PROVISIONING_HOME!, 'docker', 'config.json');
    expect(JSON.parse(await readFile(file, 'utf8')).auths).toEqual({});
    expect(await logout(registry.host)).toBe(false);
  });

  it('uses ~/.docker/config.json auths (base64 user:password)', async () => {
    const dockerDir = process.env.DOCKER_CONFIG!;
    await mkdir(dockerDir, { recursive: true });
    const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    await writeFile(join(dockerDir, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth } } }));
    const client = new Registry(registry.host, { retry: FAST_RETRY });
    try {
      await client.ping();
      expect(await client.catalog()).toContain('team/postgres');
    } finally {
      await client.close();
    }
  });

  it('uses a Docker credential helper (credHelpers → docker-credential-<name> get)', async () => {
    const bin = join(home.path, 'bin');
    await mkdir(bin, { recursive: true });
    const helper = join(bin, 'docker-credential-provtest');
    // The helper answers only for our registry host, like real helpers keyed by server URL.
    await writeFile(
      helper,
      `#!/bin/sh\nread server\nif [ "$server" = "${registry.host}" ]; then\n  printf '{"ServerURL":"%s","Username":"${USER}","Secret":"${PASSWORD}"}' "$server"\nelse\n  echo "credentials not found in native keychain"; exit 1\nfi\n`,
    );
    await chmod(helper, 0o755);
    await writeFile(
      join(process.env.DOCKER_CONFIG!, 'config.json'),
      JSON.stringify({ credHelpers: { [registry.host]: 'provtest' } }),
    );
    const oldPath = process.env.PATH;
    process.env.PATH = `${bin}:${oldPath}`;
    const client = new Registry(registry.host, { retry: FAST_RETRY });
    try {
      expect(await client.repository('team/postgres').tags()).toEqual(['15.0.0']);
    } finally {
      process.env.PATH = oldPath;
      await client.close();
    }
  });

  it('login and logout go through the credsStore helper when one is configured, as docker login does', async () => {
    const bin = join(home.path, 'bin-store');
    const vault = join(home.path, 'vault.json');
    // a helper speaking the whole protocol, keeping secrets in its own file (a keychain stand-in)
    writeFakeCredentialHelper(bin, 'vault', vault);
    await writeFile(join(process.env.DOCKER_CONFIG!, 'config.json'), JSON.stringify({ credsStore: 'vault' }));
    const loginFile = join(process.env.PROVISIONING_HOME!, 'docker', 'config.json');
    const before = await readFile(loginFile, 'utf8');
    const oldPath = process.env.PATH;
    process.env.PATH = `${bin}:${oldPath}`;
    try {
      const result = await login(registry.host, { username: USER, password: PASSWORD });
      expect(result).toMatchObject({ helper: 'vault', file: 'docker-credential-vault' });
      expect(JSON.parse(await readFile(vault, 'utf8'))[registry.host]).toEqual({
        ServerURL: registry.host,
        Username: USER,
        Secret: PASSWORD,
      });
      // nothing plaintext of ours was written
      expect(await readFile(loginFile, 'utf8')).toBe(before);
      expect(before).not.toContain(Buffer.from(`${USER}:${PASSWORD}`).toString('base64'));
      const client = new Registry(registry.host, { retry: FAST_RETRY });
      try {
        expect(await client.repository('team/postgres').tags()).toEqual(['15.0.0']);
      } finally {
        await client.close();
      }
      expect(await logout(registry.host)).toBe(true);
      expect(JSON.parse(await readFile(vault, 'utf8'))).toEqual({});
      expect(await logout(registry.host)).toBe(false);
    } finally {
      process.env.PATH = oldPath;
      await writeFile(join(process.env.DOCKER_CONFIG!, 'config.json'), '{}');
    }
  });

  it('REGISTRY_AUTH_FILE is the login file; logins of older versions (credentials.json) still work until the next login', async () => {
    const authFile = join(home.path, 'containers', 'auth.json');
    process.env.REGISTRY_AUTH_FILE = authFile;
    try {
      await writeFile(join(process.env.PROVISIONING_HOME!, 'credentials.json'), '{"version":1,"auths":{}}');
      const legacy = new CredentialStore();
      await legacy.set(`http://${registry.host}`, { username: USER, password: PASSWORD });
      const client = new Registry(registry.host, { retry: FAST_RETRY });
      try {
        expect(await client.repository('team/postgres').tags()).toEqual(['15.0.0']);
      } finally {
        await client.close();
      }
      const result = await login(registry.host, { username: USER, password: PASSWORD });
      expect(result.file).toBe(authFile);
      expect((await stat(authFile)).mode & 0o777).toBe(0o600);
      expect(Object.keys(JSON.parse(await readFile(authFile, 'utf8')).auths)).toEqual([registry.host]);
      expect(await legacy.get(`http://${registry.host}`)).toBeUndefined();
    } finally {
      delete process.env.REGISTRY_AUTH_FILE;
    }
  });
});
