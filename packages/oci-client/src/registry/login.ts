import { ProvisioningError, provisioningHome } from '@provisioning/schemas';
import {
  authKeyFor,
  dockerConfigPath,
  helperFor,
  loginAuthPath,
  readAuthFile,
  removeAuthEntry,
  writeAuthEntry,
} from '../credentials/auth-file.js';
import { helperErase, helperStore } from '../credentials/credential-helper.js';
import { CredentialStore } from '../credentials/store.js';
import { RegistryError } from '../http/errors.js';
import { Registry, type RegistryOptions } from './registry.js';

export interface LoginOptions
  extends Pick<RegistryOptions, 'plainHttp' | 'insecure' | 'retry' | 'headers' | 'debug' | 'timeout'> {
  /** `PROVISIONING_HOME` (default from the environment). */
  home?: string;
  /** The auth file to write (`--registry-config`); default `loginAuthPath()`. */
  authFile?: string;
  /** Docker's config, whose `credsStore`/`credHelpers` are used as `docker login` does; false to ignore. */
  dockerConfig?: string | false;
  /** Environment for REGISTRY_AUTH_FILE and DOCKER_CONFIG (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

export interface LoginResult {
  /** Origin the credentials were verified against. */
  origin: string;
  /** Where they went: the auth file (mode 0600), or `docker-credential-NAME` for a helper. */
  file: string;
  /** The credential helper that stores them, when one is configured. */
  helper?: string;
}

/**
 * Verify `username`/`password` against the registry (GET /v2/ through its auth challenge), then
 * store them the way `docker login` does: through the credential helper configured for the host
 * (`credHelpers`, `credsStore`) in the login file or Docker's config, else as `auths` in the login
 * file (docs/oci.md, "Credentials"). Nothing is stored when the registry refuses them.
 */
export async function login(
  registry: string,
  credential: { username: string; password: string },
  options: LoginOptions = {},
): Promise<LoginResult> {
  if (credential.username === '' || credential.password === '') {
    throw new ProvisioningError(
      'LOGIN_INVALID',
      `login to ${registry}: username and password must not be empty`,
      {
        kind: 'usage',
        hint: 'pass --username and the password on stdin (--password-stdin)',
      },
    );
  }
  const client = new Registry(registry, { ...options, credentials: { ...credential } });
  try {
    await client.ping();
  } catch (error) {
    if (error instanceof RegistryError && (error.code === 'UNAUTHORIZED' || error.code === 'DENIED')) {
      throw new RegistryError(
        'LOGIN_FAILED',
        `login to ${registry} failed: the registry rejected user ${credential.username}`,
        {
          status: error.status,
          hint: 'check the username and password (nothing was stored)',
          details: { host: registry },
        },
      );
    }
    throw error;
  } finally {
    await client.close();
  }
  const places = await credentialPlaces(registry, options);
  if (places.helper) {
    await helperStore(places.helper, authKeyFor(registry), credential);
  } else {
    await writeAuthEntry(places.file, registry, credential);
  }
  // the pre-docker-format store is only read from now on: drop what it held for this registry
  await new CredentialStore(places.home).delete(client.origin);
  return places.helper
    ? { origin: client.origin, file: `docker-credential-${places.helper}`, helper: places.helper }
    : { origin: client.origin, file: places.file };
}

/** Forget the stored credentials of a registry, wherever `login` put them; false when there were none. */
export async function logout(
  registry: string,
  options: Pick<LoginOptions, 'home' | 'plainHttp' | 'insecure' | 'authFile' | 'dockerConfig' | 'env'> = {},
): Promise<boolean> {
  // the same origin `login` verified: `insecure` implies HTTPS there too
  const probe = new Registry(registry, {
    plainHttp: options.plainHttp,
    insecure: options.insecure,
    credentials: null,
  });
  const origin = probe.origin;
  await probe.close();
  const places = await credentialPlaces(registry, options);
  const fromHelper = places.helper ? await helperErase(places.helper, authKeyFor(registry)) : false;
  const fromFile = await removeAuthEntry(places.file, registry);
  const fromLegacy = await new CredentialStore(places.home).delete(origin);
  return fromHelper || fromFile || fromLegacy;
}

async function credentialPlaces(
  registry: string,
  options: Pick<LoginOptions, 'home' | 'authFile' | 'dockerConfig' | 'env'>,
): Promise<{ home: string; file: string; helper: string | undefined }> {
  const env = options.env ?? process.env;
  const home = options.home ?? provisioningHome(env);
  const file = loginAuthPath({ home, env, ...(options.authFile ? { authFile: options.authFile } : {}) });
  const docker = options.dockerConfig === false ? undefined : (options.dockerConfig ?? dockerConfigPath(env));
  const helper =
    helperFor(await readAuthFile(file), registry) ??
    (docker && docker !== file ? helperFor(await readAuthFile(docker), registry) : undefined);
  return { home, file, helper };
}
