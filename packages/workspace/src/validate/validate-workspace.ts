/**
 * `dep validate`: config, graph, lockfile and installed files agree — without any network. Every
 * problem is collected (not just the first), each naming the module and file concerned.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findCycles, formatCycle } from '@provisioning/resolver';
import { isProvisioningError, type Lockfile, parseYamlData } from '@provisioning/schemas';
import semver from 'semver';
import { type RootModule, rootModules } from '../config/root-modules.js';
import { currentGeneration } from '../install/generations.js';
import { EXTENSION_TYPES, GENERATION_LOCK, installedModuleDir } from '../install/layout-paths.js';
import { verifyInstalledModule } from '../install/verify-installed.js';
import { lockfilePath, readLockfile } from '../lockfile/lockfile-io.js';
import { checkCoreVersion } from '../resolve/core-version.js';
import { installedModuleRanges } from '../resolve/installed-graph.js';
import { graphFromLockfile } from '../resolve/lockfile-build.js';
import { lockfileDifferences } from '../resolve/lockfile-check.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';
import { gitUrlOfRoot } from '../source/source-kind.js';
import { workspaceSourceKind } from '../source/workspace-source.js';
import { lockedSignatureProblems } from './validate-signatures.js';

export type ValidationArea = 'config' | 'lockfile' | 'graph' | 'signatures' | 'installed';

export interface ValidationProblem {
  area: ValidationArea;
  message: string;
  module?: string;
  /** File inside the installed module, for modified/missing/unexpected files. */
  path?: string;
}

export interface WorkspaceValidation {
  ok: boolean;
  problems: ValidationProblem[];
  /** Modules checked (from the lockfile). */
  modules: number;
}

export async function validateWorkspace(
  settings: WorkspaceSettings,
  options: { coreVersion: string },
): Promise<WorkspaceValidation> {
  const problems: ValidationProblem[] = [];
  const add = (area: ValidationArea, message: string, extra: Partial<ValidationProblem> = {}) =>
    problems.push({ area, message, ...extra });

  let roots: RootModule[] = [];
  try {
    roots = rootModules(settings.config, {
      registry: settings.registry,
      namespace: settings.extensionsNamespace,
    });
  } catch (err) {
    add('config', expectedFailureMessage(err));
  }
  try {
    checkCoreVersion(settings.config, options.coreVersion);
  } catch (err) {
    add('config', expectedFailureMessage(err));
  }

  let lock: Lockfile | undefined;
  try {
    lock = await readLockfile(settings.root);
    if (!lock)
      add('lockfile', `${lockfilePath(settings.root)} does not exist; run \`provisioning dep resolve\``);
  } catch (err) {
    add('lockfile', expectedFailureMessage(err));
  }
  if (!lock) return { ok: false, problems, modules: 0 };

  for (const difference of lockfileDifferences(lock, {
    roots,
    sourceKind: safeSourceKind(settings),
    gitUrlOf: (root) => {
      try {
        return gitUrlOfRoot(root, settings);
      } catch {
        return undefined; // a missing gitea setting is reported by `dep resolve`
      }
    },
    platformImages: settings.config.dependencies.platform?.images,
    defaults: { registry: settings.registry, platformNamespace: settings.platformNamespace },
  })) {
    add('lockfile', difference);
  }

  // graph: no cycles, and every locked version satisfies the range its dependent asks for
  const ranges = await installedModuleRanges(settings.root, lock);
  const graph = graphFromLockfile(lock, roots, (name) => ranges.get(name));
  for (const cycle of findCycles(graph)) add('graph', `dependency cycle: ${formatCycle(cycle)}`);
  for (const node of graph.nodes.values()) {
    for (const edge of node.dependencies) {
      if (semver.validRange(edge.range) && !semver.satisfies(edge.version, edge.range)) {
        add(
          'graph',
          `${node.name} ${node.version} needs ${edge.name} ${edge.range}, but ${edge.version} is locked`,
          {
            module: node.name,
          },
        );
      }
    }
  }

  // signatures: today's keys still accept what the lockfile recorded (from the cache, no network)
  try {
    for (const p of await lockedSignatureProblems(settings, lock))
      add('signatures', p.message, { module: p.module });
  } catch (err) {
    add('signatures', expectedFailureMessage(err));
  }

  // installed files
  const current = await currentGeneration(settings.root);
  if (!current) {
    add('installed', 'nothing is installed; run `provisioning dep resolve --frozen`');
    return { ok: false, problems, modules: Object.keys(lock.modules).length };
  }
  const installedWith = await readFile(join(current, GENERATION_LOCK), 'utf8').catch(() => undefined);
  const installedLock =
    installedWith === undefined
      ? undefined
      : (parseYamlData(installedWith, { file: join(current, GENERATION_LOCK) }) as Lockfile);
  for (const [name, mod] of Object.entries(lock.modules).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const dir = installedModuleDir(settings.root, mod.type, name);
    const installedMod = installedLock?.modules?.[name];
    if (installedMod && installedMod.layer_digest !== mod.layer_digest) {
      add(
        'installed',
        `${name}: installed ${installedMod.version} (${installedMod.layer_digest}), the lockfile has ${mod.version}`,
        {
          module: name,
        },
      );
      continue;
    }
    const fileProblems = await verifyInstalledModule(dir);
    if (fileProblems.length === 1 && fileProblems[0]!.problem === 'unreadable-metadata') {
      add('installed', `${name} is not installed (${dir})`, { module: name });
      continue;
    }
    for (const p of fileProblems) add('installed', `${name}: ${p.message}`, { module: name, path: p.path });
  }
  for (const type of EXTENSION_TYPES) {
    for (const name of await readdir(join(current, `${type}s`)).catch(() => [] as string[])) {
      if (!lock.modules[name])
        add('installed', `${name} is installed but not in the lockfile`, { module: name });
    }
  }
  return { ok: problems.length === 0, problems, modules: Object.keys(lock.modules).length };
}

function safeSourceKind(settings: WorkspaceSettings) {
  try {
    return workspaceSourceKind(settings);
  } catch {
    return 'oci' as const;
  }
}

/** The message of an expected failure; anything else is a bug and is thrown on. */
function expectedFailureMessage(err: unknown): string {
  if (isProvisioningError(err)) return err.message;
  throw err;
}
