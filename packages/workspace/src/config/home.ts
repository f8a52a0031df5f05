import { join } from 'node:path';
import { provisioningHome, resolvePath } from '@provisioning/schemas';
import type { Env } from './effective-config.js';

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
