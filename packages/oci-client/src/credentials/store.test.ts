import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@provisioning/testkit';
import { describe, expect, it } from 'vitest';
import { CredentialStore } from './store.js';

describe('CredentialStore', () => {
  it('writes 0600 atomically, keyed by origin, and removes entries', async () => {
    const home = await tempDir('cred-store');
    try {
      const store = new CredentialStore(join(home.path, 'nested-home'));
      await store.set('https://ghcr.io', { username: 'u', password: 'p' });
      await store.set('http://127.0.0.1:5000', { identityToken: 'id' });
      expect((await stat(store.file)).mode & 0o777).toBe(0o600);
      expect(await store.get('https://ghcr.io')).toEqual({ username: 'u', password: 'p' });
      expect(await store.get('https://ghcr.io:8443')).toBeUndefined();
      expect((await store.origins()).sort()).toEqual(['http://127.0.0.1:5000', 'https://ghcr.io']);
      // No temp files left behind.
      expect(await readdir(join(home.path, 'nested-home'))).toEqual(['credentials.json']);
      expect(await store.delete('https://ghcr.io')).toBe(true);
      expect(await store.delete('https://ghcr.io')).toBe(false);
      expect(JSON.parse(await readFile(store.file, 'utf8')).auths).toEqual({
        'http://127.0.0.1:5000': { identityToken: 'id' },
      });
    } finally {
      await home.remove();
    }
  });

  it('names the file when it is corrupt', async () => {
    const home = await tempDir('cred-store-bad');
    try {
      const store = new CredentialStore(home.path);
      await writeFile(store.file, '{not json');
      await expect(store.get('https://x')).rejects.toMatchObject({
        code: 'CREDENTIALS_INVALID',
        kind: 'input',
      });
      await expect(store.get('https://x')).rejects.toThrow(store.file);
    } finally {
      await home.remove();
    }
  });
});
