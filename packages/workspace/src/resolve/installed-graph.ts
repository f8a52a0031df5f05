/**
 * The resolved graph of a workspace read from disk only: the lockfile for versions, the installed
 * modules' manifest.yaml for the ranges each dependent asked for. `dep tree` and `dep why` need no
 * registry.
 */
import { readFile } from 'node:fs/promises';
import type { DependencyGraph } from '@provisioning/resolver';
import {
  type Lockfile,
  MANIFEST_PARSE_LIMITS,
  ProvisioningError,
  parseYamlData,
} from '@provisioning/schemas';
import { type RootModule, rootModules } from '../config/root-modules.js';
import { installedModuleDir } from '../install/layout-paths.js';
import { lockfilePath, readLockfile } from '../lockfile/lockfile-io.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';
import { graphFromLockfile } from './lockfile-build.js';

export async function installedModuleRanges(
  root: string,
  lock: Lockfile,
): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  await Promise.all(
    Object.entries(lock.modules).map(async ([name, mod]) => {
      try {
        const text = await readFile(`${installedModuleDir(root, mod.type, name)}/manifest.yaml`, 'utf8');
        const manifest = parseYamlData(text, { file: 'manifest.yaml', limits: MANIFEST_PARSE_LIMITS });
        const deps = (manifest as { dependencies?: Record<string, string> } | null)?.dependencies;
        if (deps && typeof deps === 'object') out.set(name, deps);
      } catch {
        // not installed (yet): edges show the locked version instead of the range
      }
    }),
  );
  return out;
}

export async function workspaceGraph(
  settings: WorkspaceSettings,
): Promise<{ graph: DependencyGraph; lockfile: Lockfile; roots: RootModule[] }> {
  const lockfile = await readLockfile(settings.root);
  if (!lockfile) {
    throw new ProvisioningError('LOCK_MISSING', `${lockfilePath(settings.root)} does not exist`, {
      kind: 'input',
      hint: 'run `provisioning dep resolve` first',
    });
  }
  const roots = rootModules(settings.config, {
    registry: settings.registry,
    namespace: settings.extensionsNamespace,
  });
  const ranges = await installedModuleRanges(settings.root, lockfile);
  return { graph: graphFromLockfile(lockfile, roots, (name) => ranges.get(name)), lockfile, roots };
}
