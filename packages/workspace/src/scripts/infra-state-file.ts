/**
 * `WORKSPACE/infra/ENV/state.yaml` (docs/workspaces.md, "Infra state"): read with the schema's precise
 * errors, written with sorted keys and atomically, one change at a time under the workspace lock.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import {
  INFRA_STATE_VERSION,
  type InfraState,
  infraStateSchema,
  loadYamlFile,
  writeFileAtomic,
} from '@provisioning/schemas';
import { stringify } from 'yaml';
import { infraDir } from '../preview/infra-settings.js';
import { withWorkspaceLock } from '../workspace-lock/workspace-lock.js';

export const INFRA_STATE_HEADER =
  '# Written by `provisioning taskserv|cluster|provider create` and `delete`: what is installed on this infra.\n';

export function infraStatePath(workspaceRoot: string, infra: string): string {
  return join(infraDir(workspaceRoot, infra), 'state.yaml');
}

/** The infra's state; an empty one when nothing was installed yet. */
export async function readInfraState(workspaceRoot: string, infra: string): Promise<InfraState> {
  const file = infraStatePath(workspaceRoot, infra);
  try {
    await access(file);
  } catch {
    return { state_version: INFRA_STATE_VERSION, infra, modules: {} };
  }
  return loadYamlFile(file, infraStateSchema);
}

/** Read, change and write the state (atomically), holding the workspace lock; returns the new state. */
export async function updateInfraState(
  workspaceRoot: string,
  infra: string,
  change: (state: InfraState) => void,
): Promise<InfraState> {
  return withWorkspaceLock(workspaceRoot, async () => {
    const state = await readInfraState(workspaceRoot, infra);
    change(state);
    await writeFileAtomic(infraStatePath(workspaceRoot, infra), serializeInfraState(state));
    return state;
  });
}

export function serializeInfraState(state: InfraState): string {
  const modules = Object.fromEntries(
    Object.entries(state.modules)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, m]) => [
        name,
        {
          type: m.type,
          version: m.version,
          reference: m.reference,
          manifest_digest: m.manifest_digest,
          layer_digest: m.layer_digest,
          dependencies: [...m.dependencies].sort(),
          installed_at: m.installed_at,
        },
      ]),
  );
  return (
    INFRA_STATE_HEADER +
    stringify({ state_version: state.state_version, infra: state.infra, modules }, { lineWidth: 0 })
  );
}
