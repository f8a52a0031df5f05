import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@provisioning/testkit';
import { describe, expect, it } from 'vitest';
import { dockerCredential, loginAuthPath, removeAuthEntry, writeAuthEntry } from './auth-file.js';
import { defaultCredentialProvider } from './provider.js';
import { CredentialStore } from './store.js';
import { tokenFileCredential } from './token-file.js';

describe('Docker config credentials', () => {
  it('reads base64 auth, identity tokens and URL-style keys', async () => {
    const dir = await tempDir('docker-config');
    try {
      const path = join(dir.path, 'config.json');
      await writeFile(
        path,
        JSON.stringify({
          auths: {
            'registry.example.com:5000': { auth: Buffer.from('bob:pa:ss').toString('base64') },
            'https://ghcr.io': { identitytoken: 'ghcr-refresh' },
            'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw').toString('base64') },
          },
        }),
      );
      expect(await dockerCredential('registry.example.com:5000', path)).toEqual({
        username: 'bob',
        password: 'pa:ss',
      });
      expect(await dockerCredential('ghcr.io', path)).toEqual({ identityToken: 'ghcr-refresh' });
      expect(await dockerCredential('docker.io', path)).toEqual({ username: 'hub', password: 'pw' });
      expect(await dockerCredential('registry.example.com', path)).toBeUndefined();
      expect(await dockerCredential('x', join(dir.path, 'missing.json'))).toBeUndefined();
      await writeFile(path, 'nope');
      await expect(dockerCredential('x', path)).rejects.toMatchObject({ code: 'DOCKER_CONFIG_INVALID' });
    } finally {
      await dir.remove();
    }
  });

  it('refuses credential helper names that could escape the docker-credential- prefix', async () => {
    const dir = await tempDir('docker-config-helper');
    try {
      const path = join(dir.path, 'config.json');
      await writeFile(path, JSON.stringify({ credsStore: '../../bin/sh' }));
      await expect(dockerCredential('r.example', path)).rejects.toMatchObject({
        code: 'CREDENTIAL_HELPER_INVALID',
      });
    } finally {
      await dir.remove();
    }
  });
});

describe('auth_token_path', () => {
  it('reads a raw token, JSON access tokens and refresh tokens', async () => {
    const dir = await tempDir('token-file');
    try {
      const raw = join(dir.path, 'raw');
      await writeFile(raw, 'abc.def.ghi\n');
      expect(await tokenFileCredential(raw)).toEqual({ accessToken: 'abc.def.ghi' });
      const json = join(dir.path, 'json');
      await writeFile(json, '{"access_token":"tok"}');
      expect(await tokenFileCredential(json)).toEqual({ accessToken: 'tok' });
      await writeFile(json, '{"refresh_token":"ref"}');
      expect(await tokenFileCredential(json)).toEqual({ identityToken: 'ref' });
      const empty = join(dir.path, 'empty');
      await writeFile(empty, '  \n');
      await expect(tokenFileCredential(empty)).rejects.toMatchObject({ code: 'TOKEN_FILE_EMPTY' });
      expect(await tokenFileCredential(join(dir.path, 'missing'))).toBeUndefined();
      await expect(tokenFileCredential(dir.path)).rejects.toMatchObject({ code: 'TOKEN_FILE_UNREADABLE' });
    } finally {
      await dir.remove();
    }
  });

  it('a missing auth_token_path falls back to the stored login, and says so at --debug', async () => {
    const dir = await tempDir('token-fallback');
    try {
      const store = new CredentialStore(dir.path);
      await store.set('http://127.0.0.1:5000', { username: 'robot', password: 's3cret' });
      const lines: string[] = [];
      const provider = defaultCredentialProvider({
        home: dir.path,
        dockerConfig: false,
        tokenPath: join(dir.path, 'tokens', 'oci'),
        debug: (line) => lines.push(line),
      });
      expect(await provider('127.0.0.1:5000', 'http://127.0.0.1:5000')).toEqual({
        username: 'robot',
        password: 's3cret',
      });
      expect(lines).toEqual([
        `auth_token_path ${join(dir.path, 'tokens', 'oci')} does not exist; using stored credentials for http://127.0.0.1:5000`,
      ]);
      await writeFile(join(dir.path, 'token'), 'tok');
      const withFile = defaultCredentialProvider({
        home: dir.path,
        dockerConfig: false,
        tokenPath: join(dir.path, 'token'),
      });
      expect(await withFile('127.0.0.1:5000', 'http://127.0.0.1:5000')).toEqual({ accessToken: 'tok' });
    } finally {
      await dir.remove();
    }
  });
});

describe('the lookup order and the files of other tools', () => {
  it('login file, then credentials.json, then podman auth.json, then Docker config; a world-readable file is warned about once', async () => {
    const dir = await tempDir('lookup-order');
    try {
      const home = join(dir.path, 'home');
      const runtime = join(dir.path, 'run');
      const docker = join(dir.path, 'docker', 'config.json');
      const podman = join(runtime, 'containers', 'auth.json');
      const auth = (user: string) => ({ auth: Buffer.from(`${user}:pw`).toString('base64') });
      await mkdir(join(runtime, 'containers'), { recursive: true });
      await mkdir(join(dir.path, 'docker'), { recursive: true });
      await writeFile(
        docker,
        JSON.stringify({ auths: { 'a.example': auth('docker'), 'b.example': auth('docker') } }),
      );
      await writeFile(
        podman,
        JSON.stringify({ auths: { 'a.example': auth('podman'), 'c.example': auth('podman') } }),
        {
          mode: 0o644,
        },
      );
      await chmod(podman, 0o644);
      await chmod(docker, 0o600);
      await writeAuthEntry(loginAuthPath({ home, env: {} }), 'd.example', {
        username: 'ours',
        password: 'pw',
      });
      const warnings: string[] = [];
      const provider = defaultCredentialProvider({
        home,
        env: { XDG_RUNTIME_DIR: runtime, DOCKER_CONFIG: join(dir.path, 'docker') },
        warn: (line) => warnings.push(line),
      });
      const user = async (host: string) => (await provider(host, `https://${host}`))?.username;
      expect(await user('d.example')).toBe('ours');
      expect(await user('a.example')).toBe('podman');
      expect(await user('c.example')).toBe('podman');
      expect(await user('b.example')).toBe('docker');
      expect(await user('e.example')).toBeUndefined();
      expect(warnings).toEqual([
        `${podman} holds credentials and is readable by others (mode 0644); run: chmod 600 ${podman}`,
      ]);
      // the login file itself was written 0600 and raised no warning
      expect((await stat(loginAuthPath({ home, env: {} }))).mode & 0o777).toBe(0o600);
    } finally {
      await dir.remove();
    }
  });

  it("writing an entry keeps the file's other keys and entries", async () => {
    const dir = await tempDir('keep-keys');
    try {
      const file = join(dir.path, 'config.json');
      await writeFile(
        file,
        JSON.stringify({ auths: { 'x.example': { auth: 'eDp5' } }, currentContext: 'desktop' }),
      );
      await writeAuthEntry(file, 'y.example', { username: 'u', password: 'p' });
      const written = JSON.parse(await readFile(file, 'utf8'));
      expect(written.currentContext).toBe('desktop');
      expect(Object.keys(written.auths).sort()).toEqual(['x.example', 'y.example']);
      expect(await removeAuthEntry(file, 'y.example')).toBe(true);
      expect(Object.keys(JSON.parse(await readFile(file, 'utf8')).auths)).toEqual(['x.example']);
      expect(await removeAuthEntry(file, 'y.example')).toBe(false);
      await writeAuthEntry(join(dir.path, 'docker.io.json'), 'docker.io', { username: 'hub', password: 'p' });
      expect(Object.keys(JSON.parse(await readFile(join(dir.path, 'docker.io.json'), 'utf8')).auths)).toEqual(
        ['https://index.docker.io/v1/'],
      );
    } finally {
      await dir.remove();
    }
  });
});
