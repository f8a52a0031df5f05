/**
 * The common case of `dep resolve --frozen`, answered without registry or packager code: the
 * lockfile matches the config, the installed generation was built from exactly this lockfile, and
 * every installed file still carries its install-time stamp. Then there is nothing to do. Anything
 * else (no install yet, a stale or half-written state, a changed file, another run holding the
 * workspace lock, a local source whose tree may have changed, a `verify` policy to check) returns undefined: the caller runs the
 * full `resolveWorkspace`, which repairs, reports or reinstalls.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DependencyGraph } from '@provisioning/resolver';
import type { Lockfile } from '@provisioning/schemas';
import { pathExists } from '@provisioning/schemas';
import { rootModules } from '../config/root-modules.js';
import { currentGeneration } from '../install/generations.js';
import { GENERATION_LOCK, moduleSubdir } from '../install/layout-paths.js';
import { readParsedLockfile } from '../install/parsed-lockfile.js';
import { matchesStamps, readStamps } from '../install/stamps.js';
import { lockfilePath, parseLockfileText, serializeLockfile } from '../lockfile/lockfile-io.js';
import { type PlanEntry, planInstall } from '../plan/install-plan.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';
import { gitUrlOfRoot, workspaceSourceKind } from '../source/source-kind.js';
import { workspaceLockPath } from '../workspace-lock/workspace-lock.js';
import { checkCoreVersion } from './core-version.js';
import { installOrder } from './installed-state.js';
import { graphFromLockfile } from './lockfile-build.js';
import { lockfileDifferences } from './lockfile-check.js';

export interface FrozenUpToDate {
  lockfile: Lockfile;
  graph: DependencyGraph;
  /** Every module, in install order, action `keep`. */
  plan: PlanEntry[];
}

export async function frozenUpToDate(
  settings: WorkspaceSettings,
  options: {
    coreVersion: string;
    /**
     * For a plain `dep resolve` (not `--frozen`): it keeps the lockfile only when this core made it
     * from a registry or the embedded storage (otherwise it solves again), so only then is it a
     * no-op too.
     */
    unfrozen?: boolean;
  },
): Promise<FrozenUpToDate | undefined> {
  const root = settings.root;
  if (await pathExists(workspaceLockPath(root))) return undefined;
  const roots = rootModules(settings.config, {
    registry: settings.registry,
    namespace: settings.extensionsNamespace,
  });
  checkCoreVersion(settings.config, options.coreVersion);
  const kind = workspaceSourceKind(settings);
  if (kind === 'local' || (options.unfrozen && kind !== 'oci' && kind !== 'oci-layout')) return undefined;
  // a trust policy is checked on every run, from the cache (docs/signing.md, "Trust policy")
  const { extensions, platform } = settings.config.dependencies;
  if (extensions?.verify || platform?.verify) return undefined;
  // nothing installed (a reinstall): bail out before parsing the lockfile the full path reads again
  const current = await currentGeneration(root);
  if (!current) return undefined;
  // the lockfile must be byte for byte the one this generation was installed with
  const [committed, onDisk] = await Promise.all([
    readFile(join(current, GENERATION_LOCK), 'utf8').catch(() => undefined),
    readFile(lockfilePath(root), 'utf8').catch(() => undefined),
  ]);
  if (committed === undefined || committed !== onDisk) return undefined;
  // kept parsed at commit, from this very text: no YAML, and no need to serialise it again to compare
  const parsed = await readParsedLockfile(current, onDisk);
  const lockfile = parsed ?? parseLockfileText(root, onDisk);
  if (options.unfrozen && lockfile.core.version !== options.coreVersion) return undefined;
  const differences = lockfileDifferences(lockfile, {
    roots,
    sourceKind: kind,
    gitUrlOf: (root) => gitUrlOfRoot(root, settings),
    platformImages: settings.config.dependencies.platform?.images,
    defaults: { registry: settings.registry, platformNamespace: settings.platformNamespace },
  });
  if (differences.length > 0) return undefined;
  if (!parsed && onDisk !== serializeLockfile(lockfile)) return undefined;
  const stamps = await readStamps(current);
  if (!stamps) return undefined;
  const intact = await Promise.all(
    Object.entries(lockfile.modules).map(([name, mod]) => {
      const subdir = moduleSubdir(mod.type, name);
      return matchesStamps(join(current, subdir), stamps[`${mod.type}s/${name}`]);
    }),
  );
  if (!intact.every(Boolean)) return undefined;
  const graph = graphFromLockfile(lockfile, roots);
  const order = installOrder(graph);
  return { lockfile, graph, plan: planInstall(order, lockfile, lockfile) };
}
