/**
 * `$PROVISIONING_HOME/oci-registry.json`: what `oci-registry start` launched, so `status` and `stop`
 * find the process again from another shell. Written atomically; removed by `stop`.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProvisioningError } from '@provisioning/schemas';

export const STATE_FILE = 'oci-registry.json';

export type BackendName = 'zot' | 'distribution' | 'builtin';
export const BACKEND_NAMES: readonly BackendName[] = ['zot', 'distribution', 'builtin'];

export interface LocalRegistryState {
  backend: BackendName;
  pid: number;
  host: string;
  port: number;
  /** `host:port` as it goes into references (IPv6 in brackets). */
  endpoint: string;
  /** Directory the registry stores into. */
  storage: string;
  /** True when `storage` is the embedded layout root (zot, built-in); Distribution keeps its own. */
  sharesEmbeddedStorage: boolean;
  log: string;
  /** The executable and arguments started, to recognise the process again (pid reuse). */
  command: string[];
  startedAt: string;
}

export function stateFilePath(home: string): string {
  return join(home, STATE_FILE);
}

export async function readState(home: string): Promise<LocalRegistryState | undefined> {
  const path = stateFilePath(home);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const state = JSON.parse(text) as LocalRegistryState;
    if (!Number.isInteger(state.pid) || state.pid <= 0 || !BACKEND_NAMES.includes(state.backend)) {
      throw new Error('missing pid or backend');
    }
    return state;
  } catch (error) {
    throw new ProvisioningError(
      'REGISTRY_STATE_INVALID',
      `${path} is not a valid local registry state file`,
      {
        kind: 'input',
        hint: `make sure no registry started by provisioning is still running, then delete ${path}`,
        cause: error,
      },
    );
  }
}

export async function writeState(home: string, state: LocalRegistryState): Promise<void> {
  const path = stateFilePath(home);
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, path);
}

export async function removeState(home: string): Promise<void> {
  await rm(stateFilePath(home), { force: true });
}
