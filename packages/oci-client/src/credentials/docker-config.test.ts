import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@provisioning/testkit';
import { describe, expect, it } from 'vitest';
import { dockerCredential } from './docker-config.js';
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
