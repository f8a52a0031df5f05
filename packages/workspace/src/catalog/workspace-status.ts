/**
 * One workspace at a glance for the API and MCP: its modules (config roots and locked versions,
 * installed or not), lockfile, generations, drift (the checks of `dep validate`, no network), install
 * history and each locked module's signature record. Built on `workspaceInfo` and `installHistory`.
 */
import { access } from 'node:fs/promises';
import { rootModules } from '../config/root-modules.js';
import { installHistory } from '../history/install-history.js';
import { workspaceInfo } from '../init/workspace-info.js';
import { installedModuleDir } from '../install/layout-paths.js';
import { lockfilePath, readLockfile } from '../lockfile/lockfile-io.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';

export interface WorkspaceModuleStatus {
  name: string;
  version: string | null;
  /** The range the config asks for (`*` for a transitive dependency). */
  constraint: string;
  /** The locked modules that depend on it, by name (empty for a module nothing depends on). */
  requiredBy: string[];
  digest: string | null;
  type: string;
  installed: boolean;
}

export type DriftKind = 'missing' | 'modified' | 'extra' | 'version';

export interface WorkspaceStatus {
  name: string;
  root: string;
  configFile: string;
  modules: WorkspaceModuleStatus[];
  lock: { file: string; modules: number; coreVersion?: string };
  generation: { current: number | null; count: number };
  drift: { module: string; kind: DriftKind; detail: string }[];
  history: {
    generation: number;
    time: string;
    command: string;
    current: boolean;
    modules: { name: string; version: string }[];
  }[];
  signatures: { module: string; status: 'signed' | 'unsigned' }[];
}

export async function workspaceStatus(
  settings: WorkspaceSettings,
  options: { coreVersion: string },
): Promise<WorkspaceStatus> {
  const info = await workspaceInfo(settings, options);
  const lock = await readLockfile(settings.root);
  const history = await installHistory(settings.root);
  const roots = rootModules(settings.config, {
    registry: settings.registry,
    namespace: settings.extensionsNamespace,
  });
  const names = [...new Set([...roots.map((r) => r.name), ...Object.keys(lock?.modules ?? {})])].sort();
  const modules = await Promise.all(
    names.map(async (name): Promise<WorkspaceModuleStatus> => {
      const root = roots.find((r) => r.name === name);
      const locked = lock?.modules[name];
      const type = locked?.type ?? root?.type ?? 'taskserv';
      const installed = await access(installedModuleDir(settings.root, type as 'taskserv', name)).then(
        () => true,
        () => false,
      );
      return {
        name,
        version: locked?.version ?? null,
        constraint: root?.range ?? '*',
        requiredBy: Object.entries(lock?.modules ?? {})
          .filter(([, mod]) => mod.dependencies !== undefined && name in mod.dependencies)
          .map(([dependent]) => dependent)
          .sort(),
        digest: locked?.manifest_digest ?? null,
        type,
        installed,
      };
    }),
  );
  return {
    name: settings.root.split('/').filter(Boolean).pop() ?? settings.root,
    root: settings.root,
    configFile: info.config,
    modules,
    lock: {
      file: lockfilePath(settings.root),
      modules: info.lock?.modules ?? 0,
      ...(lock?.core.version ? { coreVersion: lock.core.version } : {}),
    },
    generation: { current: info.generation, count: info.generations },
    drift: info.drift.map((p) => ({
      module: p.module ?? '',
      kind: driftKind(p.message),
      detail: p.path ? `${p.path}: ${p.message}` : p.message,
    })),
    history: history.generations.map((g) => ({
      generation: g.generation,
      time: g.created,
      command: g.command,
      current: g.current,
      modules: Object.entries(g.modules).map(([name, version]) => ({ name, version })),
    })),
    signatures: Object.entries(lock?.modules ?? {}).map(([module, mod]) => ({
      module,
      status: mod.signature_digest ? ('signed' as const) : ('unsigned' as const),
    })),
  };
}

/** The contract's drift kinds from a `dep validate` problem message. */
function driftKind(message: string): DriftKind {
  if (/missing|not installed|does not exist/i.test(message)) return 'missing';
  if (/unexpected|extra|not in the lock/i.test(message)) return 'extra';
  if (/version/i.test(message)) return 'version';
  return 'modified';
}
