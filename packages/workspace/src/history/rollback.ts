/**
 * `dep rollback [GENERATION]` (docs/workspaces.md, "Install history and rollback"): return the
 * installed tree, the lockfile and the config's module pins to an earlier generation, by default the
 * one before the current. Under the workspace lock:
 *
 * 1. the target generation's modules are checked (stamps, else every file's sha256); a damaged one
 *    is extracted again, from the cache when it holds the layer, so an intact history needs no
 *    registry at all;
 * 2. the intent (target and the config text to write) is recorded, then the tree is switched to
 *    the target with one rename — the commit point;
 * 3. the lockfile and the config follow; `recoverWorkspace` finishes them if the run dies.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { unpackExtension } from '@provisioning/packager';
import {
  type Lockfile,
  ProvisioningError,
  parseYaml,
  workspaceConfigSchema,
  writeFileAtomic,
} from '@provisioning/schemas';
import { rootModules } from '../config/root-modules.js';
import { ConfigDraft } from '../config-edit/module-list-edit.js';
import {
  type ConfigPin,
  findCurrent,
  type GenerationEntry,
  generationLockfile,
  listGenerations,
  previousGeneration,
} from '../install/generation-record.js';
import {
  currentGeneration,
  pruneGenerations,
  recoverWorkspace,
  switchGeneration,
} from '../install/generations.js';
import { GENERATION_LOCK, moduleSubdir } from '../install/layout-paths.js';
import { applyRollbackConfig, clearRollbackIntent, writeRollbackIntent } from '../install/rollback-marker.js';
import { matchesStamps, readStamps, writeStamps } from '../install/stamps.js';
import { pausePoint } from '../install/test-hooks.js';
import { verifyInstalledModule } from '../install/verify-installed.js';
import { lockfilePath } from '../lockfile/lockfile-io.js';
import { RegistryClients } from '../repository/open-repository.js';
import { type WorkspaceSettings, workspaceConfigFile } from '../settings/workspace-settings.js';
import { createWorkspaceSource } from '../source/workspace-source.js';
import { type WorkspaceLockOptions, withWorkspaceLock } from '../workspace-lock/workspace-lock.js';
import { moduleChanges } from './install-history.js';
import { type PinChange, restorePins } from './restore-pins.js';

export interface RollbackOptions {
  settings: WorkspaceSettings;
  /** The generation to return to; default: the one before the current. */
  to?: number;
  /** Generations to keep afterwards (default 5; the new current one and its predecessor always stay). */
  keep?: number;
  /**
   * Never contact a registry: a damaged module of the target is extracted again from the cache only,
   * and a layer the cache lacks fails with CACHE_MISS before anything changes.
   */
  offline?: boolean;
  clients?: RegistryClients;
  lock?: WorkspaceLockOptions;
}

export interface RollbackResult {
  workspace: string;
  from: number;
  to: number;
  /** False when the target already was the installed generation (nothing changed). */
  switched: boolean;
  lockfile: string;
  /** Module version changes from the left generation to the target. */
  changes: string[];
  /** Config pins rewritten (reference before and after; a missing side: added or removed). */
  pins: PinChange[];
  /** Set when the target was installed by another core version than the generation left. */
  coreChange?: { from: string; to: string };
  /** Modules of the target that were damaged and extracted again. */
  repaired: string[];
  /** Generations pruned past `keep`. */
  pruned: string[];
}

export async function rollbackWorkspace(options: RollbackOptions): Promise<RollbackResult> {
  const { settings } = options;
  const root = settings.root;
  return withWorkspaceLock(
    root,
    async () => {
      await recoverWorkspace(root);
      const generations = (await listGenerations(root)).filter((g) => g.committed);
      const { current, target } = pickTarget(
        root,
        generations,
        findCurrent(generations, await currentGeneration(root)),
        options.to,
      );
      const base = {
        workspace: root,
        from: current.number,
        to: target.number,
        lockfile: lockfilePath(root),
      };
      if (target.id === current.id) {
        return { ...base, switched: false, changes: [], pins: [], repaired: [], pruned: [] };
      }
      const lock = await generationLockfile(target.dir);
      if (!lock) throw damagedGeneration(target, `${GENERATION_LOCK} is missing`);
      const repaired = await repairModules(options, target, lock);

      const configFile = workspaceConfigFile(root);
      const draft = await ConfigDraft.open(configFile);
      const listed: ConfigPin[] = rootModules(settings.config, {
        registry: settings.registry,
        namespace: settings.extensionsNamespace,
      }).map((r) => ({ type: r.type, name: r.name, reference: r.written }));
      const pins = target.pins ? restorePins(draft, listed, target.pins) : [];
      // what is about to be written must load as a workspace config
      if (draft.changed) parseYaml(draft.text, workspaceConfigSchema, { file: configFile });

      const intent = {
        generation: target.id,
        ...(draft.changed ? { configFile, config: draft.text } : {}),
      };
      await writeRollbackIntent(root, intent);
      await pausePoint('rollback-before-switch');
      await switchGeneration(root, target.dir);
      await pausePoint('rollback-after-switch');
      await writeFileAtomic(lockfilePath(root), await readFile(join(target.dir, GENERATION_LOCK), 'utf8'));
      await pausePoint('rollback-after-lockfile');
      await applyRollbackConfig(intent);
      await pausePoint('rollback-after-config');
      await clearRollbackIntent(root);
      const pruned = await pruneGenerations(root, options.keep);
      const coreChange =
        current.coreVersion && target.coreVersion && current.coreVersion !== target.coreVersion
          ? { from: current.coreVersion, to: target.coreVersion }
          : undefined;
      return {
        ...base,
        switched: true,
        changes: moduleChanges(current, target).filter((line) => !line.startsWith('core ')),
        pins,
        ...(coreChange ? { coreChange } : {}),
        repaired,
        pruned,
      };
    },
    options.lock,
  );
}

function pickTarget(
  root: string,
  generations: GenerationEntry[],
  current: GenerationEntry | undefined,
  to: number | undefined,
): { current: GenerationEntry; target: GenerationEntry } {
  if (!current) {
    throw new ProvisioningError(
      'ROLLBACK_UNAVAILABLE',
      `nothing is installed in ${root} yet, so there is nothing to roll back`,
      {
        kind: 'input',
        hint: 'run `provisioning dep resolve` first',
      },
    );
  }
  const kept = generations.map((g) => g.number).join(', ');
  if (to === undefined) {
    const previous = previousGeneration(generations, current);
    if (!previous) {
      throw new ProvisioningError(
        'ROLLBACK_UNAVAILABLE',
        `generation ${current.number} is the oldest one kept in ${root}; there is no earlier one to return to`,
        { kind: 'input', hint: 'see `provisioning dep history`', details: { current: current.number } },
      );
    }
    return { current, target: previous };
  }
  const target = generations.find((g) => g.number === to);
  if (!target) {
    throw new ProvisioningError(
      'GENERATION_UNKNOWN',
      `generation ${to} is not kept in ${root} (kept: ${kept})`,
      {
        kind: 'input',
        hint: 'pick one that `provisioning dep history` lists',
        details: { generation: to, kept },
      },
    );
  }
  return { current, target };
}

/** Check every module of the target; extract a damaged one again (cache first) into the target. */
async function repairModules(
  options: RollbackOptions,
  target: GenerationEntry,
  lock: Lockfile,
): Promise<string[]> {
  const stamps = await readStamps(target.dir);
  const damaged: string[] = [];
  await Promise.all(
    Object.entries(lock.modules).map(async ([name, mod]) => {
      const subdir = moduleSubdir(mod.type, name);
      const dir = join(target.dir, subdir);
      if (await matchesStamps(dir, stamps?.[`${mod.type}s/${name}`])) return;
      if ((await verifyInstalledModule(dir)).length > 0) damaged.push(name);
    }),
  );
  if (damaged.length > 0) {
    const { settings } = options;
    const clients = options.clients ?? RegistryClients.forSettings(settings);
    const roots = rootModules(settings.config, {
      registry: settings.registry,
      namespace: settings.extensionsNamespace,
    });
    const source = createWorkspaceSource({ settings, roots, clients, offline: options.offline ?? false });
    try {
      for (const name of damaged.sort()) {
        const mod = lock.modules[name]!;
        const artifact = await source.lockedArtifact({
          name,
          version: mod.version,
          reference: mod.reference,
          manifestDigest: mod.manifest_digest,
          layerDigest: mod.layer_digest,
        });
        await source.ensureLayer(artifact);
        const dir = join(target.dir, moduleSubdir(mod.type, name));
        // the target is not the installed tree: rebuilding one of its modules changes nothing a user sees
        await rm(dir, { recursive: true, force: true });
        await unpackExtension(await source.openLayer(artifact), dir, { expectedDigest: mod.layer_digest });
      }
    } finally {
      await source.close?.();
      if (!options.clients) await clients.close();
    }
  }
  // stamps of a kept generation go stale as later ones hardlink its files; take them anew
  await writeStamps(target.dir);
  return damaged.sort();
}

function damagedGeneration(target: GenerationEntry, why: string): ProvisioningError {
  return new ProvisioningError(
    'GENERATION_UNKNOWN',
    `generation ${target.number} cannot be restored: ${why}`,
    {
      kind: 'input',
      hint: 'pick another one that `provisioning dep history` lists',
    },
  );
}
