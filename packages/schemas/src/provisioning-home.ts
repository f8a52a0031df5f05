/**
 * Home directories: the user's, and the provisioning home (`PROVISIONING_HOME`, else
 * `~/.provisioning`; docs/configuration.md, "PROVISIONING_HOME"). One implementation for the
 * registry client's credential files and the workspace's configuration.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
/** Environment variables as read here (`process.env`, or a test's own). */
export type HomeEnv = Readonly<Record<string, string | undefined>>;

/** The user's home directory: `HOME` from the given environment, else the OS's answer. */
export function userHome(env: HomeEnv): string {
  return env.HOME || homedir();
}

/** Replaces a leading `~` (alone or followed by `/`) with the user's home directory. */
export function expandHome(path: string, env: HomeEnv): string {
  if (path === '~') return userHome(env);
  if (path.startsWith('~/')) return join(userHome(env), path.slice(2));
  return path;
}

/** `~` expanded, then made absolute against `baseDir`. */
export function resolvePath(path: string, baseDir: string, env: HomeEnv): string {
  const expanded = expandHome(path, env);
  return isAbsolute(expanded) ? expanded : resolve(baseDir, expanded);
}

/** `$PROVISIONING_HOME` (absolute, `~` expanded), or `~/.provisioning`. */
export function provisioningHome(env: HomeEnv = process.env, cwd: string = process.cwd()): string {
  const fromEnv = env.PROVISIONING_HOME;
  if (fromEnv) return resolvePath(fromEnv, cwd, env);
  return join(userHome(env), '.provisioning');
}
