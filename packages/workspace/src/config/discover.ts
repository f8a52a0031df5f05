import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ProvisioningError, resolvePath } from '@provisioning/schemas';
import type { Env } from './effective-config.js';

/** Path of the workspace configuration file inside a workspace root. */
export const WORKSPACE_CONFIG_FILE = join('config', 'provisioning.yaml');

export interface DiscoverOptions {
  cwd: string;
  /** `--workspace DIR` */
  flag?: string | undefined;
  env: Env;
}

/**
 * Finds the workspace root (docs/configuration.md): `--workspace DIR`, else `PROVISIONING_WORKSPACE`, else the
 * first directory from `cwd` upwards that has `config/provisioning.yaml` itself or in its
 * `workspace/` child. An explicitly named directory without the file is an error, not a fallback.
 */
export function discoverWorkspace({ cwd, flag, env }: DiscoverOptions): string | undefined {
  if (flag) return explicitWorkspace(resolvePath(flag, cwd, env), '--workspace');
  const fromEnv = env.PROVISIONING_WORKSPACE;
  if (fromEnv) return explicitWorkspace(resolvePath(fromEnv, cwd, env), 'PROVISIONING_WORKSPACE');

  for (let dir = cwd; ; dir = dirname(dir)) {
    if (hasWorkspaceConfig(dir)) return dir;
    const child = join(dir, 'workspace');
    if (hasWorkspaceConfig(child)) return child;
    if (dirname(dir) === dir) return undefined;
  }
}

export function hasWorkspaceConfig(dir: string): boolean {
  try {
    return statSync(join(dir, WORKSPACE_CONFIG_FILE)).isFile();
  } catch {
    return false;
  }
}

function explicitWorkspace(dir: string, givenBy: string): string {
  if (hasWorkspaceConfig(dir)) return dir;
  throw new ProvisioningError(
    'WORKSPACE_NOT_FOUND',
    `workspace ${dir} (from ${givenBy}) has no ${WORKSPACE_CONFIG_FILE}`,
    {
      kind: 'input',
      hint: `point ${givenBy} at a directory containing ${WORKSPACE_CONFIG_FILE}`,
      details: { path: dir, source: givenBy },
    },
  );
}
