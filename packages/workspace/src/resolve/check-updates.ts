/**
 * `dep check-updates`: for every locked module, the version installed, the highest the current
 * ranges allow (`wanted`; for a root, its pin) and the newest published (`latest`).
 */
import { type OutdatedRow, outdated } from '@provisioning/resolver';
import { ProvisioningError } from '@provisioning/schemas';
import { lockfilePath, readLockfile } from '../lockfile/lockfile-io.js';
import { RegistryClients } from '../repository/open-repository.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';
import { createWorkspaceSource } from '../source/workspace-source.js';
import { installedModuleRanges } from './installed-graph.js';
import { graphFromLockfile } from './lockfile-build.js';
import { rootModules } from './root-modules.js';

export interface UpdateRow extends OutdatedRow {
  type: string;
}

export async function checkUpdates(
  settings: WorkspaceSettings,
  options: { coreVersion: string; offline?: boolean; clients?: RegistryClients },
): Promise<UpdateRow[]> {
  const lock = await readLockfile(settings.root);
  if (!lock) {
    throw new ProvisioningError('LOCK_MISSING', `${lockfilePath(settings.root)} does not exist`, {
      kind: 'input',
      hint: 'run `provisioning dep resolve` first',
    });
  }
  const roots = rootModules(settings.config, {
    registry: settings.registry,
    namespace: settings.extensionsNamespace,
  });
  const clients =
    options.clients ??
    new RegistryClients({
      registry: settings.registry,
      tlsEnabled: settings.tlsEnabled,
      insecure: settings.insecure,
      authTokenPath: settings.authTokenPath,
      home: settings.home,
    });
  const source = createWorkspaceSource({ settings, roots, clients, offline: options.offline ?? false });
  try {
    const ranges = await installedModuleRanges(settings.root, lock);
    const graph = graphFromLockfile(lock, roots, (name) => ranges.get(name));
    const rows = await outdated(graph, source, Object.fromEntries(roots.map((r) => [r.name, r.range])), {
      coreVersion: options.coreVersion,
    });
    return rows.map((row) => ({ ...row, type: lock.modules[row.name]?.type ?? '' }));
  } finally {
    await source.close?.();
    if (!options.clients) await clients.close();
  }
}
