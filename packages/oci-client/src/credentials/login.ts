import { ProvisioningError } from '@provisioning/schemas';
import { RegistryError } from '../http/errors.js';
import { Registry, type RegistryOptions } from '../registry/registry.js';
import { provisioningHome } from './home.js';
import { CredentialStore } from './store.js';

export interface LoginOptions
  extends Pick<RegistryOptions, 'plainHttp' | 'insecure' | 'retry' | 'headers' | 'debug'> {
  /** `PROVISIONING_HOME` (default from the environment). */
  home?: string;
}

export interface LoginResult {
  /** Origin the credentials are bound to. */
  origin: string;
  /** File they were written to (mode 0600). */
  file: string;
}

/**
 * Verify `username`/`password` against the registry (GET /v2/ through its auth challenge) and only
 * then store them in `$PROVISIONING_HOME/credentials.json`, keyed by origin.
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
  const store = new CredentialStore(options.home ?? provisioningHome());
  await store.set(client.origin, { username: credential.username, password: credential.password });
  return { origin: client.origin, file: store.file };
}

/** Forget the stored credentials of a registry; false when none were stored. */
export async function logout(
  registry: string,
  options: Pick<LoginOptions, 'home' | 'plainHttp' | 'insecure'> = {},
): Promise<boolean> {
  // the same origin `login` stored them under: `insecure` implies HTTPS there too
  const probe = new Registry(registry, {
    plainHttp: options.plainHttp,
    insecure: options.insecure,
    credentials: null,
  });
  const origin = probe.origin;
  await probe.close();
  return new CredentialStore(options.home ?? provisioningHome()).delete(origin);
}
