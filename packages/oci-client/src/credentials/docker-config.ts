import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ProvisioningError } from '@provisioning/schemas';
import type { Credential } from './types.js';

interface DockerConfig {
  auths?: Record<
    string,
    { auth?: string; username?: string; password?: string; identitytoken?: string; registrytoken?: string }
  >;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.DOCKER_CONFIG !== undefined && env.DOCKER_CONFIG !== ''
      ? env.DOCKER_CONFIG
      : join(homedir(), '.docker');
  return join(dir, 'config.json');
}

/** Docker's keys: `host`, `https://host`, `http://host/v1/`…; Docker Hub is `https://index.docker.io/v1/`. */
function keyMatchesHost(key: string, host: string): boolean {
  if (key === host) return true;
  const wanted = host === 'docker.io' || host === 'registry-1.docker.io' ? 'index.docker.io' : host;
  const stripped = key.replace(/^[a-z]+:\/\//i, '').split('/')[0];
  return stripped === wanted;
}

async function readDockerConfig(path: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as DockerConfig;
  } catch (cause) {
    throw new ProvisioningError('DOCKER_CONFIG_INVALID', `${path} is not valid JSON`, {
      kind: 'input',
      cause,
      hint: `fix ${path} or point DOCKER_CONFIG elsewhere`,
      details: { file: path },
    });
  }
}

/** Run `docker-credential-<helper> get` with the server URL on stdin. */
export function runCredentialHelper(
  helper: string,
  serverUrl: string,
  timeoutMs = 10_000,
): Promise<Credential | undefined> {
  if (!/^[A-Za-z0-9._-]+$/.test(helper)) {
    return Promise.reject(
      new ProvisioningError(
        'CREDENTIAL_HELPER_INVALID',
        `invalid Docker credential helper name ${JSON.stringify(helper)}`,
        {
          kind: 'input',
          hint: 'fix credHelpers / credsStore in your Docker config',
        },
      ),
    );
  }
  const program = `docker-credential-${helper}`;
  return new Promise((resolve, reject) => {
    const child = spawn(program, ['get'], { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.resume();
    child.on('error', (cause) =>
      reject(
        new ProvisioningError('CREDENTIAL_HELPER_FAILED', `cannot run Docker credential helper ${program}`, {
          kind: 'input',
          cause,
          hint: `install ${program} or remove it from your Docker config`,
        }),
      ),
    );
    child.on('close', (code) => {
      // Helpers exit non-zero with "credentials not found" when they have nothing for this server.
      if (code !== 0) {
        resolve(undefined);
        return;
      }
      try {
        const parsed = JSON.parse(stdout) as { Username?: string; Secret?: string };
        if (!parsed.Secret) {
          resolve(undefined);
        } else if (parsed.Username === '<token>' || !parsed.Username) {
          resolve({ identityToken: parsed.Secret });
        } else {
          resolve({ username: parsed.Username, password: parsed.Secret });
        }
      } catch {
        reject(
          new ProvisioningError(
            'CREDENTIAL_HELPER_FAILED',
            `Docker credential helper ${program} printed invalid JSON`,
            {
              kind: 'input',
              hint: `check ${program} works: echo ${serverUrl} | ${program} get`,
            },
          ),
        );
      }
    });
    child.stdin.end(serverUrl);
  });
}

/**
 * Credentials for `host` from Docker's config: `credHelpers[host]`, then `auths` (base64 `auth`,
 * `identitytoken`), then `credsStore`.
 */
export async function dockerCredential(
  host: string,
  path: string = dockerConfigPath(),
): Promise<Credential | undefined> {
  const config = await readDockerConfig(path);
  if (config === undefined) return undefined;
  const helperKey = Object.keys(config.credHelpers ?? {}).find((k) => keyMatchesHost(k, host));
  if (helperKey !== undefined) return runCredentialHelper(config.credHelpers![helperKey]!, helperKey);

  const authKey = Object.keys(config.auths ?? {}).find((k) => keyMatchesHost(k, host));
  const entry = authKey === undefined ? undefined : config.auths![authKey];
  if (entry !== undefined) {
    if (entry.identitytoken) return { identityToken: entry.identitytoken };
    if (entry.registrytoken) return { accessToken: entry.registrytoken };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  }
  if (config.credsStore) return runCredentialHelper(config.credsStore, authKey ?? host);
  return undefined;
}
