import { provisioningHome } from '@provisioning/schemas';
import {
  authFileCredential,
  type CredentialWarning,
  dockerConfigPath,
  loginAuthPath,
  podmanAuthPath,
} from './auth-file.js';
import { CredentialStore } from './store.js';
import { tokenFileCredential } from './token-file.js';
import { type Credential, type CredentialProvider, isEmptyCredential } from './types.js';

export interface DefaultCredentialOptions {
  /** `PROVISIONING_HOME` (default from the environment). */
  home?: string;
  /** The auth file `oci login` writes (`--registry-config`); default `loginAuthPath()`. */
  authFile?: string;
  /** Docker config file, or false to ignore Docker's config. */
  dockerConfig?: string | false;
  /** The seed's `auth_token_path`: used for every registry this provider is asked about. */
  tokenPath?: string;
  /** Environment for REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR, DOCKER_CONFIG (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Where to say that a missing `auth_token_path` fell back to the other sources (`--debug`). */
  debug?: (line: string) => void;
  /** Where to say that a credentials file is readable by others; default a `warning:` line on stderr. */
  warn?: CredentialWarning | false;
}

const stderrWarning: CredentialWarning = (line) => process.stderr.write(`warning: ${line}\n`);

/**
 * Lookup order, first hit wins (docs/oci.md, "Credentials"):
 * 1. `auth_token_path`, when configured and the file exists;
 * 2. the login file (`--registry-config`, `REGISTRY_AUTH_FILE`, `$PROVISIONING_HOME/docker/config.json`):
 *    its credential helpers, `auths`, `credsStore`;
 * 3. the pre-docker-format `$PROVISIONING_HOME/credentials.json`, read until the next login;
 * 4. podman's `$XDG_RUNTIME_DIR/containers/auth.json`;
 * 5. Docker's config (`$DOCKER_CONFIG/config.json`, `~/.docker/config.json`).
 */
export function defaultCredentialProvider(options: DefaultCredentialOptions = {}): CredentialProvider {
  const env = options.env ?? process.env;
  const home = options.home ?? provisioningHome(env);
  const warn = options.warn === false ? undefined : (options.warn ?? stderrWarning);
  const loginFile = loginAuthPath({ home, env, ...(options.authFile ? { authFile: options.authFile } : {}) });
  const podman = podmanAuthPath(env);
  const legacy = new CredentialStore(home);
  return async (host, origin) => {
    if (options.tokenPath) {
      const fromFile = await tokenFileCredential(options.tokenPath);
      if (fromFile !== undefined) return fromFile;
      options.debug?.(
        `auth_token_path ${options.tokenPath} does not exist; using stored credentials for ${origin}`,
      );
    }
    const fromLogin = await authFileCredential(loginFile, host, warn);
    if (!isEmptyCredential(fromLogin)) return fromLogin;
    const stored = await legacy.get(origin);
    if (!isEmptyCredential(stored)) return stored;
    if (podman && podman !== loginFile) {
      const found = await authFileCredential(podman, host, warn);
      if (!isEmptyCredential(found)) return found;
    }
    if (options.dockerConfig === false) return undefined;
    const docker = options.dockerConfig ?? dockerConfigPath(env);
    return docker === loginFile ? undefined : authFileCredential(docker, host, warn);
  };
}

/** A provider that always answers with one fixed credential (for `login` and library callers). */
export function staticCredentials(credential: Credential): CredentialProvider {
  return async () => credential;
}
