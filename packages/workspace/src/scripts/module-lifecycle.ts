/**
 * `taskserv|cluster|provider create|check|delete|list` (docs/workspaces.md, "Taskservs, clusters and
 * providers"): runs the modules' `scripts/install.nu`, `check.nu` and `uninstall.nu` in dependency
 * order with the Nushell binary, and records what is installed in `infra/ENV/state.yaml`.
 *
 * - create: the module and its dependencies, dependencies first; a dependency recorded at the same
 *   digest is not run again, the named module always is. Each successful install is recorded at
 *   once, so the state stays true to the host when a later script fails.
 * - check: check.nu of the module and its installed dependencies (or of every installed module of
 *   the type), dependencies first.
 * - delete: uninstall.nu of the module, refused while an installed module depends on it unless
 *   `cascade`, then dependents first.
 * - check mode (`check: true`) passes `--check` to install.nu and uninstall.nu and writes nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNu } from '@provisioning/packager';
import {
  type ExtensionType,
  type InfraState,
  type InstalledModule,
  ProvisioningError,
} from '@provisioning/schemas';
import type { PlanEntry } from '../plan/install-plan.js';
import { loadInfraSettings, moduleOverride } from '../preview/infra-settings.js';
import { prepareModule } from '../preview/prepare-module.js';
import type { RenderedTemplate } from '../preview/render-templates.js';
import { moduleSource, notOfType, resolveWithModule } from '../preview/resolve-module.js';
import { RegistryClients } from '../repository/open-repository.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';
import type { ExtensionArtifact, ExtensionSource } from '../source/extension-source.js';
import { infraStatePath, readInfraState, updateInfraState } from './infra-state-file.js';
import { closureOf, dependenciesFirst, dependentsOf } from './module-order.js';
import {
  type ModuleRef,
  type RunScriptOptions,
  runModuleScript,
  type ScriptKind,
  type ScriptOutput,
  type ScriptRun,
} from './run-module-script.js';

/** Default for `--timeout`: how long one script may run. */
export const DEFAULT_SCRIPT_TIMEOUT_MS = 10 * 60_000;

export interface ModuleScriptOptions {
  type: ExtensionType;
  infra: string;
  /** Check mode: `--check` to the scripts, no state written. */
  check?: boolean;
  offline?: boolean;
  timeoutMs?: number;
  /** The nu binary (default `findNu()`). */
  nu?: string;
  /** The environment the script environment is taken from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  clients?: RegistryClients;
  /** A script is about to run. */
  onScript?: (module: ModuleRef, script: string) => void;
  /** A module is not run again (a dependency already installed at that digest). */
  onSkip?: (module: ModuleRef, reason: string) => void;
  onOutput?: (line: ScriptOutput) => void;
}

export interface ModuleScriptsResult {
  type: ExtensionType;
  name?: string;
  infra: string;
  check: boolean;
  /** `infra/ENV/state.yaml`. */
  stateFile: string;
  runs: ScriptRun[];
  skipped: { module: string; reason: string }[];
}

export interface CreateModuleResult extends ModuleScriptsResult {
  name: string;
  version: string;
  reference: string;
  settingsFile: string;
  /** The named module's templates, rendered with its values. */
  rendered: RenderedTemplate[];
  values: Record<string, unknown>;
  /** The workspace's install plan with the module in it (what `dep resolve` would do). */
  plan: PlanEntry[];
  /** The modules whose install.nu this run considered, dependencies first. */
  order: string[];
}

export async function createModule(
  settings: WorkspaceSettings,
  options: ModuleScriptOptions & {
    name: string;
    coreVersion: string;
    /** Resolved and the named module rendered, before any script runs (`runs` is still empty). */
    onResolved?: (result: CreateModuleResult) => void;
  },
): Promise<CreateModuleResult> {
  const { name, type, infra } = options;
  const check = options.check ?? false;
  const infraSettings = await loadInfraSettings(settings.root, infra, { type, name });
  const nu = options.nu ?? findNu({ env: options.env });
  return withClients(settings, options, async (clients) => {
    const resolved = await resolveWithModule(settings, { ...options, type, clients });
    const { lockfile } = resolved.result;
    const deps = (n: string) => Object.keys(lockfile.modules[n]?.dependencies ?? {});
    const order = dependenciesFirst(closureOf(name, deps), deps);
    const state = await readInfraState(settings.root, infra);
    const source = moduleSource(resolved.settings, { clients, offline: options.offline });
    const result: CreateModuleResult = {
      type,
      name,
      infra,
      check,
      stateFile: infraStatePath(settings.root, infra),
      version: resolved.artifact.version,
      reference: resolved.artifact.reference,
      settingsFile: infraSettings.file,
      rendered: [],
      values: {},
      plan: resolved.result.plan,
      order,
      runs: [],
      skipped: [],
    };
    const artifactOf = async (moduleName: string) =>
      resolved.result.artifacts.get(moduleName) ??
      (await lockedArtifact(source, moduleName, lockfile.modules[moduleName]!));
    try {
      await withWorkDir(async (work) => {
        const target = await prepareModule(
          source,
          resolved.artifact,
          moduleOverride(infraSettings, type, name),
          join(work, name, 'module'),
        );
        result.rendered = target.rendered;
        result.values = target.values;
        options.onResolved?.(result);
        for (const moduleName of order) {
          const artifact = moduleName === name ? resolved.artifact : await artifactOf(moduleName);
          const ref = { name: moduleName, type: artifact.type, version: artifact.version };
          const recorded = state.modules[moduleName];
          if (moduleName !== name && recorded?.manifest_digest === artifact.manifestDigest) {
            const reason = `already installed on ${infra} (${recorded.version})`;
            result.skipped.push({ module: moduleName, reason });
            options.onSkip?.(ref, reason);
            continue;
          }
          const prepared =
            moduleName === name
              ? target
              : await prepareModule(
                  source,
                  artifact,
                  moduleOverride(infraSettings, artifact.type, moduleName),
                  join(work, moduleName, 'module'),
                );
          options.onScript?.(ref, 'scripts/install.nu');
          await runStep({ nu, settings, options, infra, check, work }, 'install', ref, prepared, result.runs);
          if (!check) {
            await updateInfraState(settings.root, infra, (s) => {
              s.modules[moduleName] = installedEntry(artifact, deps(moduleName));
            });
          }
        }
      });
    } finally {
      await source.close?.();
    }
    return result;
  });
}

export async function checkModules(
  settings: WorkspaceSettings,
  options: ModuleScriptOptions & { name?: string },
): Promise<ModuleScriptsResult> {
  const { type, infra, name } = options;
  const state = await readInfraState(settings.root, infra);
  const deps = (n: string) => state.modules[n]?.dependencies ?? [];
  let wanted: Set<string>;
  if (name !== undefined) {
    requireInstalled(state, type, name, settings.root);
    wanted = closureOf(name, deps);
  } else {
    wanted = new Set(
      Object.entries(state.modules)
        .filter(([, m]) => m.type === type)
        .map(([n]) => n),
    );
  }
  const order = dependenciesFirst(
    [...wanted].filter((n) => state.modules[n]),
    deps,
  );
  return runInstalled(settings, options, state, order, 'check');
}

export async function deleteModule(
  settings: WorkspaceSettings,
  options: ModuleScriptOptions & { name: string; cascade?: boolean },
): Promise<ModuleScriptsResult> {
  const { type, infra, name } = options;
  const state = await readInfraState(settings.root, infra);
  requireInstalled(state, type, name, settings.root);
  const deps = (n: string) => state.modules[n]?.dependencies ?? [];
  const dependents = dependentsOf(name, Object.keys(state.modules), deps);
  if (dependents.size > 0 && !options.cascade) {
    const list = [...dependents].sort().map((n) => `${state.modules[n]!.type} ${n}`);
    throw new ProvisioningError(
      'DEPENDENTS_INSTALLED',
      `cannot delete ${type} ${name} from infra ${infra}: ${list.join(', ')} ${list.length === 1 ? 'depends' : 'depend'} on it`,
      {
        kind: 'input',
        hint: `delete ${list.length === 1 ? 'it' : 'them'} first, or pass --cascade to run their uninstall.nu too (dependents first)`,
        details: { module: name, dependents: [...dependents].sort() },
      },
    );
  }
  const order = dependenciesFirst([name, ...dependents], deps).reverse();
  return runInstalled(settings, { ...options, name }, state, order, 'uninstall');
}

/** Run `kind` of recorded modules in `order`, each from the artifact its record names. */
async function runInstalled(
  settings: WorkspaceSettings,
  options: ModuleScriptOptions & { name?: string },
  state: InfraState,
  order: string[],
  kind: ScriptKind,
): Promise<ModuleScriptsResult> {
  const { type, infra } = options;
  const check = options.check ?? false;
  const result: ModuleScriptsResult = {
    type,
    ...(options.name !== undefined ? { name: options.name } : {}),
    infra,
    check,
    stateFile: infraStatePath(settings.root, infra),
    runs: [],
    skipped: [],
  };
  if (order.length === 0) return result;
  const infraSettings = await loadInfraSettings(settings.root, infra);
  const nu = options.nu ?? findNu({ env: options.env });
  return withClients(settings, options, async (clients) => {
    const source = moduleSource(settings, { clients, offline: options.offline });
    try {
      await withWorkDir(async (work) => {
        for (const moduleName of order) {
          const recorded = state.modules[moduleName]!;
          const artifact = await lockedArtifact(source, moduleName, recorded);
          const ref = { name: moduleName, type: recorded.type, version: recorded.version };
          const prepared = await prepareModule(
            source,
            artifact,
            moduleOverride(infraSettings, recorded.type, moduleName),
            join(work, moduleName, 'module'),
          );
          options.onScript?.(ref, `scripts/${kind}.nu`);
          await runStep({ nu, settings, options, infra, check, work }, kind, ref, prepared, result.runs);
          if (kind === 'uninstall' && !check) {
            await updateInfraState(settings.root, infra, (s) => {
              delete s.modules[moduleName];
            });
          }
        }
      });
    } finally {
      await source.close?.();
    }
    return result;
  });
}

/** The modules recorded for `infra`, of `type` (all types when absent), by name. */
export async function listInfraModules(
  settings: Pick<WorkspaceSettings, 'root'>,
  options: { infra: string; type?: ExtensionType },
): Promise<{ infra: string; stateFile: string; modules: (InstalledModule & { name: string })[] }> {
  const state = await readInfraState(settings.root, options.infra);
  const modules = Object.entries(state.modules)
    .filter(([, m]) => options.type === undefined || m.type === options.type)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, m]) => ({ name, ...m }));
  return { infra: options.infra, stateFile: infraStatePath(settings.root, options.infra), modules };
}

function requireInstalled(state: InfraState, type: ExtensionType, name: string, root: string): void {
  const recorded = state.modules[name];
  if (!recorded) {
    throw new ProvisioningError(
      'MODULE_NOT_INSTALLED',
      `${type} ${name} is not installed on infra ${state.infra} (${infraStatePath(root, state.infra)})`,
      {
        kind: 'input',
        hint: `see what is installed with \`provisioning ${type} list --infra ${state.infra}\`; install it with \`provisioning ${type} create ${name} --infra ${state.infra}\``,
        details: { module: name },
      },
    );
  }
  if (recorded.type !== type) throw notOfType(name, recorded.type, type);
}

function installedEntry(artifact: ExtensionArtifact, dependencies: string[]): InstalledModule {
  return {
    type: artifact.type,
    version: artifact.version,
    reference: artifact.reference,
    manifest_digest: artifact.manifestDigest,
    layer_digest: artifact.layer.digest,
    dependencies: [...dependencies].sort(),
    installed_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

function lockedArtifact(
  source: ExtensionSource,
  name: string,
  entry: { version: string; reference: string; manifest_digest: string; layer_digest: string },
): Promise<ExtensionArtifact> {
  return source.lockedArtifact({
    name,
    version: entry.version,
    reference: entry.reference,
    manifestDigest: entry.manifest_digest,
    layerDigest: entry.layer_digest,
  });
}

/**
 * Run one module's script and record it in `runs`; a failure carries the runs before it, so
 * `--json` still shows every output.
 */
async function runStep(
  context: {
    nu: string;
    settings: WorkspaceSettings;
    options: ModuleScriptOptions;
    infra: string;
    check: boolean;
    work: string;
  },
  kind: ScriptKind,
  module: ModuleRef,
  prepared: RunScriptOptions['prepared'],
  runs: ScriptRun[],
): Promise<void> {
  const { nu, settings, options, infra, check, work } = context;
  const run = await runModuleScript({
    nu,
    kind,
    module,
    prepared,
    workDir: join(work, module.name),
    workspaceRoot: settings.root,
    infra,
    check,
    timeoutMs: options.timeoutMs ?? DEFAULT_SCRIPT_TIMEOUT_MS,
    env: options.env,
    onOutput: options.onOutput,
  }).catch((error: unknown) => {
    throw withRuns(error, runs);
  });
  runs.push(run);
}

/** A script failure carries the runs before it, so `--json` still shows every output. */
function withRuns(error: unknown, runs: ScriptRun[]): unknown {
  if (error instanceof ProvisioningError && runs.length > 0) {
    (error.details as Record<string, unknown>).previousRuns = [...runs];
  }
  return error;
}

async function withClients<T>(
  settings: WorkspaceSettings,
  options: { clients?: RegistryClients },
  fn: (clients: RegistryClients) => Promise<T>,
): Promise<T> {
  const clients = options.clients ?? RegistryClients.forSettings(settings);
  try {
    return await fn(clients);
  } finally {
    if (!options.clients) await clients.close();
  }
}

async function withWorkDir(fn: (dir: string) => Promise<void>): Promise<void> {
  // 0700: the settings and rendered files in it may hold secrets
  const dir = await mkdtemp(join(tmpdir(), 'provisioning-scripts-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
