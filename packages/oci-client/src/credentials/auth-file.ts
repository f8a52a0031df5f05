/**
 * Docker-format auth files (`config.json`, podman's `auth.json`): the one credential format docker,
 * podman, oras, helm and we share. `auths` holds base64 `user:password` per registry host;
 * `credHelpers` / `credsStore` name a `docker-credential-NAME` helper that keeps the secret instead.
 * Writes keep every other key, replace the file atomically and leave it mode 0600.
 */
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { makeDirectory, ProvisioningError, writeFileAtomic } from '@provisioning/schemas';
import { helperGet } from './credential-helper.js';
import type { Credential } from './types.js';

export interface AuthFile {
  auths?: Record<
    string,
    { auth?: string; username?: string; password?: string; identitytoken?: string; registrytoken?: string }
  >;
  credHelpers?: Record<string, string>;
  credsStore?: string;
  [other: string]: unknown;
}

/** Where to say that a credentials file is readable by others (once per file and process). */
export type CredentialWarning = (line: string) => void;

type Env = NodeJS.ProcessEnv;
const set = (value: string | undefined): value is string => value !== undefined && value !== '';

/** `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`. */
export function dockerConfigPath(env: Env = process.env): string {
  return join(set(env.DOCKER_CONFIG) ? env.DOCKER_CONFIG : join(homedir(), '.docker'), 'config.json');
}

/** podman's `$XDG_RUNTIME_DIR/containers/auth.json`, when there is a runtime directory. */
export function podmanAuthPath(env: Env = process.env): string | undefined {
  return set(env.XDG_RUNTIME_DIR) ? join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json') : undefined;
}

/**
 * The file `oci login` writes: `--registry-config FILE`, else `REGISTRY_AUTH_FILE` (which podman,
 * oras and helm honour too), else `$PROVISIONING_HOME/docker/config.json`, a Docker config
 * directory of our own (`DOCKER_CONFIG=$PROVISIONING_HOME/docker docker pull …` sees the same logins).
 */
export function loginAuthPath(options: { home: string; authFile?: string; env?: Env }): string {
  if (options.authFile) return options.authFile;
  const env = options.env ?? process.env;
  return set(env.REGISTRY_AUTH_FILE) ? env.REGISTRY_AUTH_FILE : join(options.home, 'docker', 'config.json');
}

const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const isDockerHub = (host: string) => host === 'docker.io' || host === 'registry-1.docker.io';

/** The `auths` key (and helper server URL) docker uses for a host. */
export function authKeyFor(host: string): string {
  return isDockerHub(host) ? DOCKER_HUB_KEY : host;
}

/** Docker's keys: `host`, `https://host`, `http://host/v1/`…; Docker Hub is `https://index.docker.io/v1/`. */
function keyMatchesHost(key: string, host: string): boolean {
  if (key === host) return true;
  const wanted = isDockerHub(host) ? 'index.docker.io' : host;
  return key.replace(/^[a-z]+:\/\//i, '').split('/')[0] === wanted;
}

const warned = new Set<string>();

export async function readAuthFile(path: string, warn?: CredentialWarning): Promise<AuthFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw invalidFile(path, cause);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidFile(path);
  const file = parsed as AuthFile;
  if (warn && Object.keys(file.auths ?? {}).length > 0 && !warned.has(path)) {
    const mode = (await stat(path)).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      warned.add(path);
      warn(
        `${path} holds credentials and is readable by others (mode ${mode.toString(8).padStart(4, '0')}); run: chmod 600 ${path}`,
      );
    }
  }
  return file;
}

function invalidFile(path: string, cause?: unknown): ProvisioningError {
  return new ProvisioningError('DOCKER_CONFIG_INVALID', `${path} is not a valid JSON object`, {
    kind: 'input',
    cause,
    hint: `fix or delete ${path}, or point DOCKER_CONFIG / REGISTRY_AUTH_FILE elsewhere`,
    details: { file: path },
  });
}

/** The helper that keeps `host`'s secret: `credHelpers[host]`, else `credsStore`. */
export function helperFor(file: AuthFile | undefined, host: string): string | undefined {
  const key = Object.keys(file?.credHelpers ?? {}).find((k) => keyMatchesHost(k, host));
  return key === undefined ? file?.credsStore || undefined : file?.credHelpers?.[key];
}

/** The `auths` entry for `host` as a credential (base64 `auth`, identity token, registry token). */
export function authsCredential(file: AuthFile | undefined, host: string): Credential | undefined {
  const key = Object.keys(file?.auths ?? {}).find((k) => keyMatchesHost(k, host));
  const entry = key === undefined ? undefined : file?.auths?.[key];
  if (!entry) return undefined;
  if (entry.identitytoken) return { identityToken: entry.identitytoken };
  if (entry.registrytoken) return { accessToken: entry.registrytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  return undefined;
}

/** Credentials for `host` from one auth file: `credHelpers`, then `auths`, then `credsStore`. */
export async function authFileCredential(
  path: string,
  host: string,
  warn?: CredentialWarning,
): Promise<Credential | undefined> {
  const file = await readAuthFile(path, warn);
  if (!file) return undefined;
  const key = Object.keys(file.credHelpers ?? {}).find((k) => keyMatchesHost(k, host));
  if (key !== undefined) return helperGet(file.credHelpers?.[key] as string, key);
  const inline = authsCredential(file, host);
  if (inline) return inline;
  return file.credsStore ? helperGet(file.credsStore, authKeyFor(host)) : undefined;
}

/** Docker's config as a credential source (kept for library callers: `dockerCredential(host)`). */
export function dockerCredential(
  host: string,
  path: string = dockerConfigPath(),
): Promise<Credential | undefined> {
  return authFileCredential(path, host);
}

/** Sets `auths[host]` to base64 `user:password`, keeping everything else in the file. */
export async function writeAuthEntry(
  path: string,
  host: string,
  credential: { username: string; password: string },
): Promise<void> {
  const file = (await readAuthFile(path)) ?? {};
  const auths = { ...(file.auths ?? {}) };
  for (const key of Object.keys(auths)) if (keyMatchesHost(key, host)) delete auths[key];
  auths[authKeyFor(host)] = {
    auth: Buffer.from(`${credential.username}:${credential.password}`).toString('base64'),
  };
  await makeDirectory(dirname(path), 0o700);
  await writeFileAtomic(path, `${JSON.stringify({ ...file, auths }, null, 2)}\n`, { mode: 0o600 });
}

/** Removes `host` from `auths`; false when it had no entry (the file is then left untouched). */
export async function removeAuthEntry(path: string, host: string): Promise<boolean> {
  const file = await readAuthFile(path);
  const keys = Object.keys(file?.auths ?? {}).filter((k) => keyMatchesHost(k, host));
  if (!file || keys.length === 0) return false;
  const auths = { ...file.auths };
  for (const key of keys) delete auths[key];
  await writeFileAtomic(path, `${JSON.stringify({ ...file, auths }, null, 2)}\n`, { mode: 0o600 });
  return true;
}
