/**
 * `workspace migrate-to-oci WORKSPACE` (the seed's migration phase 2): point a workspace that loads
 * its extensions from the legacy monorepo directory (`source_type: local`) at the OCI registry.
 *
 * Every module must already be in the registry at the version the workspace uses — published with
 * `oci publish NAME`, or here with `publish: true` from the local directory. Nothing is written
 * unless every module is there; the config keeps its comments (yaml Document edits).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packExtension } from '@provisioning/packager';
import { ProvisioningError } from '@provisioning/schemas';
import { rootModules } from '../config/root-modules.js';
import { setConfigValue, setModuleReference } from '../config-edit/module-list-edit.js';
import type { ExtensionType } from '../install/layout-paths.js';
import type { OciSession } from '../oci/oci-session.js';
import { pushExtension } from '../oci/push-extension.js';
import { isNotFound } from '../repository/not-found-error.js';
import { type WorkspaceSettings, workspaceConfigFile } from '../settings/workspace-settings.js';
import { LocalExtensionSource } from '../source/local-source.js';
import { localExtensionsPath, workspaceSourceKind } from '../source/source-kind.js';

export type MigratedModuleAction = 'present' | 'published' | 'missing';

export interface MigratedModule {
  name: string;
  type: ExtensionType;
  version: string;
  /** The reference the config lists after the migration (dependencies: where they are published). */
  reference: string;
  action: MigratedModuleAction;
  /** A dependency of a listed module (published too, not listed in the config). */
  dependency: boolean;
}

export interface MigrateToOciOptions {
  settings: WorkspaceSettings;
  session: OciSession;
  /** Push modules the registry lacks from the local extensions directory. */
  publish?: boolean;
  /** Report what would change; write nothing, push nothing. */
  dryRun?: boolean;
}

export interface MigrateToOciResult {
  workspace: string;
  configFile: string;
  /** Source kind before the migration. */
  from: 'local' | 'oci' | 'oci-layout' | 'git';
  modules: MigratedModule[];
  /** Whether config/provisioning.yaml was (or, with dryRun, would be) changed. */
  changed: boolean;
}

export async function migrateToOci(options: MigrateToOciOptions): Promise<MigrateToOciResult> {
  const { settings, session } = options;
  const configFile = workspaceConfigFile(settings.root);
  const from = workspaceSourceKind(settings);
  const roots = rootModules(settings.config, {
    registry: settings.registry,
    namespace: settings.extensionsNamespace,
  });
  const localRoot = from === 'local' ? localExtensionsPath(settings) : undefined;
  const local = localRoot ? new LocalExtensionSource(localRoot, (n, v) => `${n}:${v}`) : undefined;

  const modules: MigratedModule[] = [];
  for (const root of roots) {
    const version = root.version ?? (await local?.versions(root.name))?.[0];
    if (version === undefined) {
      throw new ProvisioningError(
        'MIGRATION_VERSION_UNKNOWN',
        `${root.name}: no version pinned in the config and none found in ${localRoot ?? 'the config'}`,
        { kind: 'input', hint: `pin it in the config (${root.name}:VERSION) and run the migration again` },
      );
    }
    const registryName = `${settings.registry}/${settings.extensionsNamespace}/${root.name}`;
    const reference = `oci://${registryName}:${version}`;
    const action = await ensurePublished(
      session,
      `${registryName}:${version}`,
      root.name,
      version,
      local,
      options,
    );
    modules.push({ name: root.name, type: root.type, version, reference, action, dependency: false });
  }
  // a local workspace resolves dependencies from the same directory: they must reach the registry too
  if (local) modules.push(...(await localDependencies(local, modules, settings, session, options)));

  const missing = modules.filter((m) => m.action === 'missing');
  if (missing.length > 0 && !options.dryRun) {
    const names = missing.map((m) => `${m.name}:${m.version}`).join(', ');
    throw new ProvisioningError(
      'MIGRATION_INCOMPLETE',
      `not in ${settings.registry}/${settings.extensionsNamespace}: ${names}; ${configFile} left unchanged`,
      {
        kind: 'input',
        hint: localRoot
          ? 'run again with --publish to push them from the local directory, or `provisioning oci publish NAME`'
          : 'push them first (`provisioning oci push DIR NAME VERSION`)',
        details: { missing: missing.map((m) => m.name) },
      },
    );
  }

  const written = roots.map((r) => r.written);
  const changed =
    from === 'local' ||
    modules.some((m, i) => m.reference !== written[i] && `oci://${written[i]}` !== m.reference);
  if (changed && !options.dryRun) {
    const extensions = ['dependencies', 'extensions'];
    await setConfigValue(configFile, [...extensions, 'source_type'], 'oci');
    const oci = settings.config.dependencies.extensions?.oci;
    if (!oci?.registry)
      await setConfigValue(configFile, [...extensions, 'oci', 'registry'], settings.registry);
    if (!oci?.namespace)
      await setConfigValue(configFile, [...extensions, 'oci', 'namespace'], settings.extensionsNamespace);
    for (const m of modules) if (!m.dependency) await setModuleReference(configFile, m.name, m.reference);
  }
  return { workspace: settings.root, configFile, from, modules, changed };
}

/** Every dependency reachable from the listed modules in the local directory (one version each). */
async function localDependencies(
  local: LocalExtensionSource,
  listed: MigratedModule[],
  settings: WorkspaceSettings,
  session: OciSession,
  options: MigrateToOciOptions,
): Promise<MigratedModule[]> {
  const seen = new Set(listed.map((m) => m.name));
  const pending = [...listed];
  const found: MigratedModule[] = [];
  while (pending.length > 0) {
    const current = pending.shift()!;
    const { dependencies } = await local.metadata(current.name, current.version);
    for (const name of Object.keys(dependencies).sort()) {
      if (seen.has(name)) continue;
      seen.add(name);
      const [version] = await local.versions(name);
      const type = await local.typeOf(name);
      if (version === undefined || type === undefined) continue; // resolving reports it, with the solver's words
      const registryName = `${settings.registry}/${settings.extensionsNamespace}/${name}`;
      const action = await ensurePublished(
        session,
        `${registryName}:${version}`,
        name,
        version,
        local,
        options,
      );
      const entry = {
        name,
        type,
        version,
        reference: `oci://${registryName}:${version}`,
        action,
        dependency: true,
      };
      found.push(entry);
      pending.push(entry);
    }
  }
  return found;
}

async function ensurePublished(
  session: OciSession,
  reference: string,
  name: string,
  version: string,
  local: LocalExtensionSource | undefined,
  options: MigrateToOciOptions,
): Promise<MigratedModuleAction> {
  const published = await publishedDigest(session, reference);
  const dir = local ? await local.directoryOf(name) : undefined;
  if (published !== undefined) {
    // the same version with other content would silently change what the workspace runs
    if (dir) await checkSameContent(dir, reference, published, `${name} ${version}`);
    return 'present';
  }
  if (!dir || !options.publish || options.dryRun) return 'missing';
  await pushExtension(session, dir, { name, version });
  return 'published';
}

async function checkSameContent(
  dir: string,
  reference: string,
  published: string,
  nameAndVersion: string,
): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'provisioning-migrate-'));
  try {
    const local = (await packExtension(dir, { outputDir: scratch })).imageManifestDescriptor.digest;
    if (local === published) return;
    throw new ProvisioningError(
      'VERSION_EXISTS',
      `${reference} is published with other content than ${dir} (published ${published}, local ${local})`,
      {
        kind: 'input',
        hint: `bump version: in ${join(dir, 'manifest.yaml')} and publish it, or replace the published one with \`provisioning oci push ${dir} ${nameAndVersion} --force\``,
        details: { reference, directory: dir, publishedDigest: published, localDigest: local },
      },
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The manifest digest `reference` names, or undefined when nothing is published there. */
async function publishedDigest(session: OciSession, reference: string): Promise<string | undefined> {
  try {
    const opened = await session.open(reference, { mirrors: false });
    return (await opened.target.resolve(opened.reference!)).digest;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
