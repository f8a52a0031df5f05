import { dockerConfigPath, dockerCredential } from './docker-config.js';
import { provisioningHome } from './home.js';
import { CredentialStore } from './store.js';
import { tokenFileCredential } from './token-file.js';
import { type Credential, type CredentialProvider, isEmptyCredential } from './types.js';

export interface DefaultCredentialOptions {
  /** `PROVISIONING_HOME` (default from the environment). */
  home?: string;
  /** Docker config file, or false to ignore Docker's config. */
  dockerConfig?: string | false;
  /** The seed's `auth_token_path`: used for every registry this provider is asked about. */
  tokenPath?: string;
  /** Where to say that a missing `auth_token_path` fell back to the other sources (`--debug`). */
  debug?: (line: string) => void;
}

/**
 * Lookup order: `auth_token_path` (when configured and the file exists), our store (by origin),
 * Docker's config (credHelpers, auths, credsStore) by host. First hit wins.
 */
export function defaultCredentialProvider(options: DefaultCredentialOptions = {}): CredentialProvider {
  const store = new CredentialStore(options.home ?? provisioningHome());
  return async (host, origin) => {
    if (options.tokenPath) {
      const fromFile = await tokenFileCredential(options.tokenPath);
      if (fromFile !== undefined) return fromFile;
      options.debug?.(
        `auth_token_path ${options.tokenPath} does not exist; using stored credentials for ${origin}`,
      );
    }
    const stored = await store.get(origin);
    if (!isEmptyCredential(stored)) return stored;
    if (options.dockerConfig === false) return undefined;
    return dockerCredential(host, options.dockerConfig ?? dockerConfigPath());
  };
}

/** A provider that always answers with one fixed credential (for `login` and library callers). */
export function staticCredentials(credential: Credential): CredentialProvider {
  return async () => credential;
}
