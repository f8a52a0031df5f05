import { readFile } from 'node:fs/promises';
import { ProvisioningError } from '@provisioning/schemas';
import type { Credential } from './types.js';

/**
 * The seed's `auth_token_path`: a file holding a registry bearer token (plain text), or JSON with
 * `token` / `access_token` (used as-is) or `refresh_token` / `identitytoken` (exchanged at the realm).
 * A file that does not exist gives `undefined`: the seed's example config names
 * `~/.provisioning/tokens/oci`, and a user who ran `oci login` instead must not be locked out.
 */
export async function tokenFileCredential(path: string): Promise<Credential | undefined> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ProvisioningError('TOKEN_FILE_UNREADABLE', `cannot read auth_token_path ${path}`, {
      kind: 'input',
      cause,
      hint: 'create the file with your registry token or remove auth_token_path from the workspace config',
      details: { file: path },
    });
  }
  if (text === '') {
    throw new ProvisioningError('TOKEN_FILE_EMPTY', `auth_token_path ${path} is empty`, {
      kind: 'input',
      hint: 'put your registry token into the file',
      details: { file: path },
    });
  }
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      const pick = (...keys: string[]) =>
        keys.map((k) => json[k]).find((v): v is string => typeof v === 'string' && v !== '');
      const refresh = pick('refresh_token', 'identitytoken', 'identity_token');
      if (refresh) return { identityToken: refresh };
      const access = pick('token', 'access_token');
      if (access) return { accessToken: access };
    } catch {
      // not JSON after all: treat as a raw token
    }
  }
  return { accessToken: text };
}
