/**
 * `dep resolve` as a library call (docs/dependencies.md): parse config → core check → solve (core version as a
 * solver input) → validate the graph → fetch missing layers in parallel into the cache (verified) →
 * install in topological order into a new generation → switch atomically → write the lockfile.
 * All of it under the workspace lock; an interrupted earlier run is repaired first.
 */

import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { type ContentTarget, type LayoutArchive, LayoutStore } from '@provisioning/oci-client';
import { type DependencyGraph, type Solution, solve, updateOne } from '@provisioning/resolver';
import {
  closestMatch,
  type Lockfile,
  loadYamlFile,
  ProvisioningError,
  parseReference,
  workspaceConfigSchema,
} from '@provisioning/schemas';
import { ExtensionCache } from '../cache/cache-store.js';
import { type RootModule, rewriteTag, rootModules } from '../config/root-modules.js';
import { setModuleReference } from '../config-edit/module-list-edit.js';
import type { ConfigPin } from '../install/generation-record.js';
import { currentGeneration, type RecoveryReport, recoverWorkspace } from '../install/generations.js';
import { moduleSubdir } from '../install/layout-paths.js';
import { populateGeneration } from '../install/populate-generation.js';
import { matchesStamps, readStamps, writeStamps } from '../install/stamps.js';
import { pausePoint } from '../install/test-hooks.js';
import { InstallTransaction } from '../install/transaction.js';
import { TreeStore } from '../install/tree-store.js';
import { verifyInstalledModule } from '../install/verify-installed.js';
import {
  lockfilePath,
  readLockfile,
  readLockfileAndText,
  serializeLockfile,
} from '../lockfile/lockfile-io.js';
import { type PlanEntry, planInstall } from '../plan/install-plan.js';
import {
  aggregateError,
  failureLine,
  type PlatformImages,
  resolvePlatformImages,
} from '../platform/platform-images.js';
import { isNotFound } from '../repository/not-found-error.js';
import { RegistryClients } from '../repository/open-repository.js';
import { type WorkspaceSettings, workspaceConfigFile } from '../settings/workspace-settings.js';
import { cachedSignatures } from '../signing/cached-signatures.js';
import type { ExtensionArtifact, ExtensionSource } from '../source/extension-source.js';
import { gitUrlOfRoot } from '../source/source-kind.js';
import { createWorkspaceSource, layoutStorePath, workspaceSourceKind } from '../source/workspace-source.js';
import { type WorkspaceLockOptions, withWorkspaceLock } from '../workspace-lock/workspace-lock.js';
import { checkCoreVersion } from './core-version.js';
import { installedLockfile, installOrder } from './installed-state.js';
import { buildLockfile, graphFromLockfile } from './lockfile-build.js';
import { lockfileDifferences, lockStaleError } from './lockfile-check.js';
import { runningCoreDigest } from './running-core-digest.js';
import { enforceSignaturePolicy, type PolicySubject } from './signature-policy.js';

export { installedLockfile, installOrder };

export interface ResolveWorkspaceOptions {
  settings: WorkspaceSettings;
  /** The running CLI's version: the core version. */
  coreVersion: string;
  /** Install exactly the lockfile; fail with LOCK_STALE when it does not match the config. */
  frozen?: boolean;
  /** Use only the cache. */
  offline?: boolean;
  /** `dep update NAME [--to VERSION]`. */
  update?: { name: string; to?: string };
  /** Resolve and plan only: no lock taken, nothing fetched beyond metadata, nothing written. */
  dryRun?: boolean;
  /** Root requirements instead of the config's modules (with `dryRun`: the catalog's `resolveDryRun`). */
  roots?: RootModule[];
  /** Registry clients (one per host); created from settings when absent. */
  clients?: RegistryClients;
  /** Resolve a platform image reference to its digest; default: manifest HEAD on its registry. */
  resolveImage?: (reference: string) => Promise<string>;
  lock?: WorkspaceLockOptions;
  concurrency?: number;
  /** `--debug` lines (a mirror skipped, …). */
  debug?: (line: string) => void;
  /** Read every artifact from this bundle, no registry (`dep resolve --from-bundle`, docs/air-gap.md). */
  bundle?: LayoutArchive;
  /** Recorded in the install history; default: the `dep` command these options stand for. */
  command?: string;
  /** Install generations to keep (default 5; the current one and its predecessor always stay). */
  keep?: number;
  /**
   * A root module the caller pins to the version installed once this run succeeds (`module load`
   * without a version), so the generation records the pin the config will hold.
   */
  pinInstalled?: string;
}

export interface ResolveWorkspaceResult {
  lockfile: Lockfile;
  /** Modules in install order (dependencies first), then removals. */
  plan: PlanEntry[];
  graph: DependencyGraph;
  /** A new generation was installed (false: everything was already in place, or dry run). */
  installed: boolean;
  /** The number of the generation installed by this run (with `installed`). */
  generation?: number;
  /** `dep update` of a root module rewrote its tag in config/provisioning.yaml. */
  configChange?: { name: string; from: string; to: string };
  recovery?: RecoveryReport;
  /** The artifacts chosen, by name (for previews such as `taskserv create --check`). */
  artifacts: Map<string, ExtensionArtifact>;
}

export async function resolveWorkspace(options: ResolveWorkspaceOptions): Promise<ResolveWorkspaceResult> {
  if (options.frozen && options.update) {
    throw new ProvisioningError('FLAGS_CONFLICT', '--frozen cannot be combined with an update', {
      kind: 'usage',
      hint: 'drop --frozen to change versions',
    });
  }
  if (options.roots && !options.dryRun) {
    throw new ProvisioningError('USAGE_INVALID', 'explicit roots are only resolved as a dry run', {
      kind: 'usage',
    });
  }
  const roots = options.roots ?? workspaceRoots(options.settings);
  checkCoreVersion(options.settings.config, options.coreVersion);
  const clients =
    options.clients ??
    RegistryClients.forSettings(options.settings, { debug: options.debug, bundle: options.bundle });
  let context = await runContext(options, options.settings, roots, clients);
  try {
    if (options.dryRun) return await plan(context);
    const root = options.settings.root;
    return await withWorkspaceLock(
      root,
      async () => {
        const recovery = await recoverWorkspace(root);
        if (recovery.finishedRollback?.configRewritten) {
          // an interrupted `dep rollback` was finished: its pins are in the config now, not in memory
          await context.source.close?.();
          const config = await loadYamlFile(workspaceConfigFile(root), workspaceConfigSchema);
          const settings = { ...options.settings, config };
          context = await runContext(options, settings, workspaceRoots(settings), clients);
        }
        await pausePoint('after-lock');
        const result = options.frozen ? await installFrozen(context) : await installResolved(context);
        return { ...result, recovery };
      },
      options.lock,
    );
  } finally {
    await context.source.close?.();
    if (!options.clients) await clients.close();
  }
}

function workspaceRoots(settings: WorkspaceSettings): RootModule[] {
  return rootModules(settings.config, {
    registry: settings.registry,
    namespace: settings.extensionsNamespace,
  });
}

async function runContext(
  options: ResolveWorkspaceOptions,
  settings: WorkspaceSettings,
  roots: RootModule[],
  clients: RegistryClients,
): Promise<RunContext> {
  const source = createWorkspaceSource({
    settings,
    roots,
    clients,
    offline: options.offline ?? false,
    concurrency: options.concurrency,
    locked: (await readLockfile(settings.root))?.modules,
  });
  return { options: { ...options, settings }, roots, source, clients };
}

interface RunContext {
  options: ResolveWorkspaceOptions;
  roots: RootModule[];
  source: ExtensionSource;
  clients: RegistryClients;
}

interface Decided {
  lockfile: Lockfile;
  graph: DependencyGraph;
  order: string[];
  /** Every chosen artifact, or (frozen, digest-addressed sources) only those loaded so far. */
  artifacts: Map<string, ExtensionArtifact>;
  /** Set when artifacts are loaded on demand: only modules that must be extracted need theirs. */
  loadArtifact?: (name: string) => Promise<ExtensionArtifact>;
  configChange?: { name: string; from: string; to: string };
  /** The lockfile's text when it is kept byte for byte (`--frozen`). */
  lockfileText?: string;
}

async function plan(context: RunContext): Promise<ResolveWorkspaceResult> {
  const { settings } = context.options;
  const decided = context.options.frozen ? await decideFrozen(context) : await decide(context);
  const installed = await installedLockfile(settings.root);
  return {
    lockfile: decided.lockfile,
    plan: planInstall(decided.order, decided.lockfile, installed),
    graph: decided.graph,
    installed: false,
    // a plan reports every chosen artifact (previews read them), also when the lock was kept as is
    artifacts: decided.loadArtifact
      ? await loadArtifacts(decided.order, decided.loadArtifact)
      : decided.artifacts,
    ...(decided.configChange ? { configChange: decided.configChange } : {}),
  };
}

async function installResolved(context: RunContext): Promise<ResolveWorkspaceResult> {
  const decided = await decide(context);
  const result = await install(context, decided);
  if (decided.configChange) {
    // after the install committed: a crash in between leaves config behind the lock, which the next
    // `dep resolve` settles and `--frozen` reports as stale, never a broken install
    const root = context.roots.find((r) => r.name === decided.configChange!.name)!;
    await setModuleReference(
      workspaceConfigFile(context.options.settings.root),
      root.name,
      rewriteTag(root.written, decided.configChange.to),
    );
  }
  return result;
}

async function installFrozen(context: RunContext): Promise<ResolveWorkspaceResult> {
  return install(context, await decideFrozen(context));
}

/** Solve against the source (honouring the lockfile's versions as preferences). */
async function decide(context: RunContext): Promise<Decided> {
  const { options, roots, source } = context;
  const { settings } = options;
  const previous = await readLockfile(settings.root);
  // A lockfile that already answers the config is kept as it is, like cargo keeps Cargo.lock: no
  // registry round trip, so a locked workspace resolves (and runs its scripts) with the registry
  // down. `dep update` is how versions move. The embedded storage holds artifacts by digest like a
  // registry, so it counts the same; a local tree or a git ref can change under the lock: solved.
  if (
    !options.update &&
    // explicit roots (catalog dry runs) are solved: their graph carries the ranges asked for
    !options.roots &&
    (source.kind === 'oci' || source.kind === 'oci-layout') &&
    previous?.core.version === options.coreVersion &&
    lockDifferences(context, previous).length === 0
  ) {
    return decideFrozen(context);
  }
  await prefetchRoots(roots, source);
  const root: Record<string, string> = Object.fromEntries(roots.map((r) => [r.name, r.range]));
  const locked: Record<string, string> = Object.fromEntries(
    Object.entries(previous?.modules ?? {}).map(([name, mod]) => [name, mod.version]),
  );
  let solution: Solution;
  let configChange: Decided['configChange'];
  if (options.update) {
    const { name, to } = options.update;
    const rootModule = roots.find((r) => r.name === name);
    // a root is pinned by its tag: updating it lifts the pin, the solver picks, the config is rewritten
    if (rootModule) root[name] = '*';
    solution = await updateOne({
      root,
      source,
      coreVersion: options.coreVersion,
      locked,
      name,
      ...(to ? { to } : {}),
    });
    const chosen = solution.versions.get(name)!;
    if (rootModule && rootModule.version !== chosen) {
      configChange = { name, from: rootModule.version ?? '*', to: chosen };
    }
  } else {
    solution = await solve({ root, source, coreVersion: options.coreVersion, locked });
  }
  const order = installOrder(solution.graph);
  const artifacts = await loadArtifacts(order, (name) => source.artifact(name, solution.versions.get(name)!));
  checkTypes(roots, artifacts);
  // the trust policy, before anything is fetched for extraction (docs/signing.md, "Trust policy")
  const signatures = await verifyModules(
    context,
    [...artifacts.values()].map((a) => ({ name: a.name, reference: a.reference, digest: a.manifestDigest })),
  );
  const platform = await lockPlatformImages(context, previous);
  const lockfile = buildLockfile(
    options.coreVersion,
    artifacts,
    solution.graph,
    platform,
    signatures,
    await runningCoreDigest(options.coreVersion),
  );
  return { lockfile, graph: solution.graph, order, artifacts, ...(configChange ? { configChange } : {}) };
}

/** The lockfile as is, after checking it still matches the config. */
/** What the config asks for that the lockfile does not hold (empty: the lock answers the config). */
function lockDifferences(context: RunContext, lockfile: Lockfile): string[] {
  const { settings } = context.options;
  return lockfileDifferences(lockfile, {
    roots: context.roots,
    sourceKind: workspaceSourceKind(settings),
    gitUrlOf: (root) => gitUrlOfRoot(root, settings),
    platformImages: settings.config.dependencies.platform?.images,
    defaults: { registry: settings.registry, platformNamespace: settings.platformNamespace },
  });
}

async function decideFrozen(context: RunContext): Promise<Decided> {
  const { options, roots, source } = context;
  const { settings } = options;
  const read = await readLockfileAndText(settings.root);
  if (!read) {
    throw new ProvisioningError(
      'LOCK_MISSING',
      `--frozen needs ${lockfilePath(settings.root)}, which does not exist`,
      {
        kind: 'input',
        hint: 'run `provisioning dep resolve` once to create it',
      },
    );
  }
  const { lock: lockfile, text: lockfileText } = read;
  const differences = lockDifferences(context, lockfile);
  if (differences.length > 0) throw lockStaleError(lockfilePath(settings.root), differences);
  // re-verified from the cache: the accepted signature manifest is read by its locked digest
  await verifyModules(
    context,
    Object.entries(lockfile.modules).map(([name, mod]) => ({
      name,
      reference: mod.reference,
      digest: mod.manifest_digest,
      ...(mod.signature_digest ? { signatureDigest: mod.signature_digest } : {}),
    })),
  );
  if (lockfile.platform) await verifyPlatformImages(context, lockfile.platform.images);
  const graph = graphFromLockfile(lockfile, roots);
  const order = installOrder(graph);
  const loadArtifact = (name: string) => {
    const mod = lockfile.modules[name]!;
    return source.lockedArtifact({
      name,
      version: mod.version,
      reference: mod.reference,
      manifestDigest: mod.manifest_digest,
      layerDigest: mod.layer_digest,
      ...(mod.git ? { git: mod.git } : {}),
    });
  };
  // digest-addressed content cannot change under the lock; a local tree can, so it is checked now
  if (source.kind !== 'local')
    return { lockfile, lockfileText, graph, order, artifacts: new Map(), loadArtifact };
  return { lockfile, lockfileText, graph, order, artifacts: await loadArtifacts(order, loadArtifact) };
}

async function install(context: RunContext, decided: Decided): Promise<ResolveWorkspaceResult> {
  const { settings } = context.options;
  const root = settings.root;
  const current = await currentGeneration(root);
  const installed = await installedLockfile(root);
  const plan = planInstall(decided.order, decided.lockfile, installed);
  const base = {
    lockfile: decided.lockfile,
    graph: decided.graph,
    artifacts: decided.artifacts,
    ...(decided.configChange ? { configChange: decided.configChange } : {}),
  };

  // modules kept as they are must still be intact; a modified one is reinstalled
  const reusable = new Set<string>();
  let restamp = false;
  const stamps = current ? await readStamps(current) : undefined;
  const typeOf = (name: string) => decided.lockfile.modules[name]!.type;
  await Promise.all(
    plan.map(async (entry) => {
      if (entry.action !== 'keep' || !current) return;
      const subdir = moduleSubdir(typeOf(entry.name), entry.name);
      const dir = join(current, subdir);
      if (await matchesStamps(dir, stamps?.[subdir.split(sep).join('/')])) {
        reusable.add(entry.name);
      } else if ((await verifyInstalledModule(dir)).length === 0) {
        reusable.add(entry.name);
        restamp = true; // intact but touched (e.g. rewritten with the same bytes)
      } else {
        entry.action = 'reinstall';
      }
    }),
  );
  const lockText = decided.lockfileText ?? serializeLockfile(decided.lockfile);
  const onDisk = await readFile(lockfilePath(root), 'utf8').catch(() => undefined);
  if (
    plan.every((e) => e.action === 'keep') &&
    reusable.size === decided.order.length &&
    onDisk === lockText
  ) {
    if (restamp && current) await writeStamps(current);
    return { ...base, plan, installed: false };
  }

  // fetch every missing layer in parallel (verified into the cache); report every failure at once
  const toExtract = decided.order.filter((name) => !reusable.has(name));
  if (decided.loadArtifact) {
    const loaded = await loadArtifacts(toExtract, decided.loadArtifact);
    for (const [name, artifact] of loaded) decided.artifacts.set(name, artifact);
  }
  const fetched = await Promise.allSettled(
    toExtract.map((name) => context.source.ensureLayer(decided.artifacts.get(name)!)),
  );
  const failed = fetched
    .map((r, i) =>
      r.status === 'rejected'
        ? failureLine(decided.artifacts.get(toExtract[i]!)!.reference, r.reason)
        : undefined,
    )
    .filter((line): line is string => line !== undefined);
  if (failed.length > 0) throw aggregateError('FETCH_FAILED', failed, fetched);
  await pausePoint('after-fetch');

  const tx = await InstallTransaction.begin(root);
  let generation: number;
  try {
    await populateGeneration(
      tx,
      TreeStore.inCache(settings.cacheDir),
      decided.order.map((name) => {
        const artifact = decided.artifacts.get(name);
        const type = typeOf(name);
        return reusable.has(name)
          ? { name, type, reuseFrom: current! }
          : {
              name,
              type: artifact!.type,
              layerDigest: artifact!.layer.digest,
              layerSize: artifact!.layer.size,
              openLayer: () => context.source.openLayer(artifact!),
            };
      }),
    );
    generation = await tx.commit(
      decided.lockfile,
      {
        command: context.options.command ?? commandLine(context.options),
        pins: configPins(context.roots, decided, context.options.pinInstalled),
        ...(context.options.keep === undefined ? {} : { keep: context.options.keep }),
      },
      decided.lockfileText,
    );
  } catch (err) {
    await tx.abort();
    throw err;
  }
  return { ...base, plan, installed: true, generation };
}

/** The config's module references as they are after this run (a `dep update` or `module load` pin rewritten). */
function configPins(roots: RootModule[], decided: Decided, pinInstalled: string | undefined): ConfigPin[] {
  const change = decided.configChange;
  return roots.map((r) => {
    let reference = r.written;
    if (change && change.name === r.name) reference = rewriteTag(r.written, change.to);
    else if (r.name === pinInstalled)
      reference = rewriteTag(r.written, decided.lockfile.modules[r.name]!.version);
    return { type: r.type, name: r.name, reference };
  });
}

function commandLine(options: ResolveWorkspaceOptions): string {
  if (options.update) {
    const to = options.update.to ? ` --to ${options.update.to}` : '';
    return `dep update ${options.update.name}${to}`;
  }
  return `dep resolve${options.frozen ? ' --frozen' : ''}${options.offline ? ' --offline' : ''}`;
}

/** Ask for every root's versions (and pinned artifact) in parallel; report all broken ones at once. */
async function prefetchRoots(roots: RootModule[], source: ExtensionSource): Promise<void> {
  const missing: string[] = [];
  const missingNames: string[] = [];
  const results = await Promise.allSettled(
    roots.map(async (root) => {
      const versions = await source.versions(root.name);
      if (versions.length === 0) {
        missing.push(`${root.written}: nothing published in ${source.describe?.(root.name) ?? root.name}`);
        missingNames.push(root.name);
      }
      // a pin that does not exist is the solver's to explain; a broken artifact is reported here
      if (root.version && versions.includes(root.version)) await source.artifact(root.name, root.version);
    }),
  );
  const failed: string[] = [];
  results.forEach((r, i) => {
    if (r.status === 'rejected' && !isNotFound(r.reason))
      failed.push(failureLine(roots[i]!.written, r.reason));
  });
  if (failed.length > 0) throw aggregateError('FETCH_FAILED', failed, results);
  if (missing.length > 0) {
    const guesses = await guessNames(source, missingNames);
    const lines = missing.map((line, i) => (guesses[i] ? `${line} (did you mean ${guesses[i]}?)` : line));
    throw new ProvisioningError('MODULE_NOT_FOUND', lines.sort().join('\n'), {
      kind: 'input',
      hint:
        source.missingHint ??
        'publish it (`provisioning oci push DIR NAME VERSION`), or check the registry, namespace and name in config/provisioning.yaml',
      details: { missing },
    });
  }
}

/** The closest published name to each missing one; none when the source cannot list its names. */
async function guessNames(source: ExtensionSource, missing: string[]): Promise<(string | undefined)[]> {
  const names = (await source.names?.().catch(() => [] as string[])) ?? [];
  return missing.map((name) =>
    closestMatch(
      name,
      names.filter((n) => n !== name),
    ),
  );
}

async function loadArtifacts(
  order: string[],
  load: (name: string) => Promise<ExtensionArtifact>,
): Promise<Map<string, ExtensionArtifact>> {
  const results = await Promise.allSettled(order.map(load));
  const failed: string[] = [];
  const artifacts = new Map<string, ExtensionArtifact>();
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') artifacts.set(order[i]!, r.value);
    else failed.push(failureLine(String(order[i]), r.reason));
  });
  if (failed.length > 0) throw aggregateError('FETCH_FAILED', failed, results);
  return artifacts;
}

function checkTypes(roots: RootModule[], artifacts: Map<string, ExtensionArtifact>): void {
  for (const root of roots) {
    const artifact = artifacts.get(root.name);
    if (artifact && artifact.type !== root.type) {
      throw new ProvisioningError(
        'MODULE_TYPE_MISMATCH',
        `${root.written} is listed under ${root.type}s but ${artifact.reference} is a ${artifact.type}`,
        {
          kind: 'input',
          hint: `move it to dependencies.extensions.modules.${artifact.type}s`,
          details: { name: root.name, listedAs: root.type, type: artifact.type },
        },
      );
    }
  }
}

/** Enforce `dependencies.extensions.verify` on these modules; name → accepted signature digest. */
function verifyModules(
  context: RunContext,
  modules: Omit<PolicySubject, 'repository'>[],
): Promise<Map<string, string>> {
  const { settings } = context.options;
  const { source } = context;
  return enforceSignaturePolicy(
    settings.config.dependencies.extensions?.verify,
    settings.root,
    modules.map((m) => ({ ...m, repository: source.repositoryOf?.(m.name) ?? m.reference })),
    source.signatures
      ? (subject) => source.signatures!(subject.name, subject.digest, subject.signatureDigest)
      : undefined,
    'module',
  );
}

async function lockPlatformImages(
  context: RunContext,
  previous: Lockfile | undefined,
): Promise<PlatformImages | undefined> {
  const { settings, offline } = context.options;
  const images = settings.config.dependencies.platform?.images;
  if (!images || Object.keys(images).length === 0) return undefined;
  const defaults = { registry: settings.registry, namespace: settings.platformNamespace };
  const resolveImage =
    context.options.resolveImage ??
    (async (reference: string) => {
      if (offline) {
        const locked = Object.values(previous?.platform?.images ?? {}).find(
          (img) => img.reference === reference,
        );
        if (locked) return locked.digest;
        throw new ProvisioningError('CACHE_MISS', `offline: ${reference} has no digest in the lockfile yet`, {
          kind: 'input',
          hint: 'run once without --offline to pin it',
        });
      }
      const ref = parseReference(reference);
      return (await imageRepository(context, reference)).resolve(ref.tag ?? 'latest').then((d) => d.digest);
    });
  const resolved = await resolvePlatformImages(images, defaults, resolveImage);
  return verifyPlatformImages(context, resolved);
}

/** Enforce `dependencies.platform.verify`; the accepted signature digests go into the images' lock entries. */
async function verifyPlatformImages(context: RunContext, images: PlatformImages): Promise<PlatformImages> {
  const { settings, offline } = context.options;
  const policy = settings.config.dependencies.platform?.verify;
  if (!policy) return images;
  const cache = new ExtensionCache(settings.cacheDir);
  const accepted = await enforceSignaturePolicy(
    policy,
    settings.root,
    Object.entries(images).map(([name, image]) => ({
      name,
      reference: image.reference,
      digest: image.digest,
      repository: parseReference(image.reference).repository,
      ...(image.signature_digest ? { signatureDigest: image.signature_digest } : {}),
    })),
    async (subject) => {
      const ref = parseReference(subject.reference);
      return cachedSignatures({
        cached: (await cache.repository(ref.registry, ref.repository))!,
        remote: () => imageRepository(context, subject.reference),
        subjectDigest: subject.digest,
        ...(subject.signatureDigest ? { signatureDigest: subject.signatureDigest } : {}),
        offline: offline ?? false,
        reference: subject.reference,
      });
    },
    'platform image',
  );
  return Object.fromEntries(
    Object.entries(images).map(([name, image]) => {
      const signature = accepted.get(name);
      return [name, signature ? { ...image, signature_digest: signature } : image];
    }),
  );
}

/** An image's repository: with the embedded storage, images on the configured registry live there. */
async function imageRepository(context: RunContext, reference: string): Promise<ContentTarget> {
  const { settings } = context.options;
  const ref = parseReference(reference);
  return workspaceSourceKind(settings) === 'oci-layout' && ref.registry === settings.registry
    ? new LayoutStore(layoutStorePath(settings)).repository(ref.repository, { create: false })
    : context.clients.repository(ref.registry, ref.repository);
}
