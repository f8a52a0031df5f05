/** `oci-registry status`: what runs (from the state file), whether it answers, what it stores. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LayoutStore } from '@provisioning/oci-client';
import { registryAnswers } from './health.js';
import { lastLogLine } from './log-file.js';
import { isOurProcess } from './process-check.js';
import { type BackendName, readState } from './state-file.js';

export type RegistryCondition =
  /** Process alive and `/v2/` answers. */
  | 'running'
  /** Process alive but `/v2/` does not answer. */
  | 'unhealthy'
  /** Recorded process is gone without `stop`. */
  | 'crashed'
  /** Nothing started: commands use the embedded storage directly. */
  | 'stopped';

export interface LocalRegistryStatus {
  condition: RegistryCondition;
  backend: BackendName | null;
  pid: number | null;
  /** `host:port` while one is recorded. */
  endpoint: string | null;
  /** Storage directory of the recorded backend, else the embedded layout root. */
  storage: string;
  sharesEmbeddedStorage: boolean;
  /** Repositories in `storage`. */
  repositories: number;
  /** `/v2/` answered. */
  healthy: boolean;
  log: string | null;
  /** The last log line when it crashed. */
  lastLogLine: string | null;
  startedAt: string | null;
}

export async function localRegistryStatus(options: {
  home: string;
  layoutRoot: string;
}): Promise<LocalRegistryStatus> {
  const state = await readState(options.home);
  if (!state) {
    return {
      condition: 'stopped',
      backend: null,
      pid: null,
      endpoint: null,
      storage: options.layoutRoot,
      sharesEmbeddedStorage: true,
      repositories: await countLayoutRepositories(options.layoutRoot),
      healthy: false,
      log: null,
      lastLogLine: null,
      startedAt: null,
    };
  }
  const alive = await isOurProcess(state.pid, state.command);
  const healthy = alive && (await registryAnswers(state.host, state.port, 2000));
  const repositories = state.sharesEmbeddedStorage
    ? await countLayoutRepositories(state.storage)
    : await countDistributionRepositories(state.storage);
  return {
    condition: !alive ? 'crashed' : healthy ? 'running' : 'unhealthy',
    backend: state.backend,
    pid: state.pid,
    endpoint: state.endpoint,
    storage: state.storage,
    sharesEmbeddedStorage: state.sharesEmbeddedStorage,
    repositories,
    healthy,
    log: state.log,
    lastLogLine: alive ? null : ((await lastLogLine(state.log)) ?? null),
    startedAt: state.startedAt,
  };
}

export async function countLayoutRepositories(root: string): Promise<number> {
  return (await new LayoutStore(root).repositories()).length;
}

/** Distribution's filesystem driver: `docker/registry/v2/repositories/<name…>/_manifests`. */
export async function countDistributionRepositories(storage: string): Promise<number> {
  let count = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 32) return;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    if (entries.some((e) => e.isDirectory() && e.name === '_manifests')) count += 1;
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('_')) await walk(join(dir, entry.name), depth + 1);
    }
  };
  await walk(join(storage, 'docker', 'registry', 'v2', 'repositories'), 0);
  return count;
}
