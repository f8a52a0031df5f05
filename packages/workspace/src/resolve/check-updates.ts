/**
 * `dep check-updates`: for every locked module, the version installed, the highest the current
 * ranges allow (`wanted`; for a root, its pin) and the newest published (`latest`).
 */
import { type OutdatedRow, outdated } from '@provisioning/resolver';
import { RegistryClients } from '../repository/open-repository.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';
import { createWorkspaceSource } from '../source/workspace-source.js';
import { workspaceGraph } from './installed-graph.js';

export interface UpdateRow extends OutdatedRow {
  type: string;
}

export async function checkUpdates(
  settings: WorkspaceSettings,
  options: { coreVersion: string; offline?: boolean; clients?: RegistryClients },
): Promise<UpdateRow[]> {
  const { graph, lockfile: lock, roots } = await workspaceGraph(settings);
  const clients = options.clients ?? RegistryClients.forSettings(settings);
  const source = createWorkspaceSource({ settings, roots, clients, offline: options.offline ?? false });
  try {
    const rows = await outdated(graph, source, Object.fromEntries(roots.map((r) => [r.name, r.range])), {
      coreVersion: options.coreVersion,
    });
    return rows.map((row) => ({ ...row, type: lock.modules[row.name]?.type ?? '' }));
  } finally {
    await source.close?.();
    if (!options.clients) await clients.close();
  }
}
