import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { Env } from './effective-config.js';

/** The user's home directory: `HOME` from the given environment, else the OS's answer. */
export function userHome(env: Env): string {
  return env.HOME || homedir();
}

/** Replaces a leading `~` (alone or followed by `/`) with the user's home directory. */
export function expandHome(path: string, env: Env): string {
  if (path === '~') return userHome(env);
  if (path.startsWith('~/')) return join(userHome(env), path.slice(2));
  return path;
}

/** `~` expanded, then made absolute against `baseDir`. */
export function resolvePath(path: string, baseDir: string, env: Env): string {
  const expanded = expandHome(path, env);
  return isAbsolute(expanded) ? expanded : resolve(baseDir, expanded);
}

/** `$PROVISIONING_HOME` (absolute, `~` expanded), or `~/.provisioning`. */
export function provisioningHome(env: Env, cwd: string = process.cwd()): string {
  const fromEnv = env.PROVISIONING_HOME;
  if (fromEnv) return resolvePath(fromEnv, cwd, env);
  return join(userHome(env), '.provisioning');
}

const SEED_HOME = '~/.provisioning';

/**
 * A path from a configuration file. The seed writes per-user files as `~/.provisioning/…`
 * (`auth_token_path: "~/.provisioning/tokens/oci"`), meaning the provisioning home: when
 * `PROVISIONING_HOME` points elsewhere, such paths follow it, so a relocated home (tests, CI,
 * several identities) never reads or writes the default one.
 */
export function resolveConfigPath(path: string, baseDir: string, env: Env): string {
  if (env.PROVISIONING_HOME && (path === SEED_HOME || path.startsWith(`${SEED_HOME}/`))) {
    return join(provisioningHome(env), path.slice(SEED_HOME.length));
  }
  return resolvePath(path, baseDir, env);
}
