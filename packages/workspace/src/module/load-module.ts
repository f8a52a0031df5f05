/**
 * `module load TYPE WORKSPACE NAME --source local|oci`: add an extension module to a workspace's
 * config (comments kept) and resolve the workspace. `oci` pins the version that got installed unless
 * one was asked for; `local` switches the workspace to the legacy monorepo directory.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  isValidPathComponent,
  ProvisioningError,
  parseYaml,
  workspaceConfigSchema,
} from '@provisioning/schemas';
import semver from 'semver';
import type { EffectiveConfig } from '../config/effective-config.js';
import { ConfigDraft } from '../config-edit/module-list-edit.js';
import type { ExtensionType } from '../install/layout-paths.js';
import type { PlanEntry } from '../plan/install-plan.js';
import { resolveWorkspace } from '../resolve/resolve-workspace.js';
import { settingsFromEffectiveConfig, workspaceConfigFile } from '../settings/workspace-settings.js';
import { workspaceSourceKind } from '../source/source-kind.js';

export interface LoadModuleOptions {
  type: ExtensionType;
  name: string;
  source: 'local' | 'oci';
  /** Workspace root (holds config/provisioning.yaml). */
  workspace: string;
  /** Loads the effective configuration of `workspace` (called again after the config changed). */
  loadConfig: () => Promise<EffectiveConfig>;
  coreVersion: string;
  /** Version to pin; default: the newest that fits, pinned after installing. */
  version?: string;
  /** Extensions directory for `local`; default: the nearest `extensions/` above cwd, then above the workspace. */
  path?: string;
  cwd?: string;
}

export interface LoadModuleResult {
  workspace: string;
  type: ExtensionType;
  name: string;
  source: 'local' | 'oci';
  /** The reference now listed in config/provisioning.yaml. */
  reference: string;
  version: string;
  installed: boolean;
  modules: PlanEntry[];
}

export async function loadModule(options: LoadModuleOptions): Promise<LoadModuleResult> {
  const { type, name, source, workspace: root } = options;
  checkModuleName(name);
  if (options.version !== undefined) checkPinnedVersion(options.version);
  const configFile = workspaceConfigFile(root);
  if (!existsSync(configFile)) {
    throw new ProvisioningError('WORKSPACE_NOT_FOUND', `${configFile} does not exist`, {
      kind: 'input',
      hint: 'pass the workspace directory (the one holding config/provisioning.yaml)',
    });
  }
  const settings = settingsFromEffectiveConfig(await options.loadConfig());
  // Every edit stays in memory until the module resolved and installed: a typo'd name, an
  // unreachable registry or a missing local directory leaves provisioning.yaml as it was.
  const draft = await ConfigDraft.open(configFile);
  if (source === 'local') {
    const cwd = options.cwd ?? process.cwd();
    const extensionsDir = options.path
      ? resolve(options.path)
      : (findExtensionsDir(cwd) ?? findExtensionsDir(root));
    if (!extensionsDir) {
      throw new ProvisioningError(
        'LOCAL_EXTENSIONS_NOT_FOUND',
        'no extensions/ directory found for --source local',
        {
          kind: 'input',
          hint: 'pass --path DIR (the directory holding providers/, taskservs/ and clusters/)',
        },
      );
    }
    draft.setValue(['dependencies', 'extensions', 'source_type'], 'local');
    // Relative to the workspace root, so the workspace can move with its extensions.
    draft.setValue(['dependencies', 'extensions', 'local', 'path'], relative(root, extensionsDir) || '.');
  } else if (workspaceSourceKind(settings) === 'local') {
    draft.setValue(['dependencies', 'extensions', 'source_type'], 'oci');
  }
  const base = `${settings.registry}/${settings.extensionsNamespace}/${name}`;
  draft.addModuleReference(type, options.version ? `${base}:${options.version}` : base);
  const edited = { ...settings, config: parseYaml(draft.text, workspaceConfigSchema, { file: configFile }) };
  const result = await resolveWorkspace({
    settings: edited,
    coreVersion: options.coreVersion,
    command: `module load ${type} ${name}${options.version ? ` --version ${options.version}` : ''}`,
    ...(options.version ? {} : { pinInstalled: name }),
  });
  const version = result.lockfile.modules[name]!.version;
  const reference = `${base}:${version}`;
  // an unpinned entry gets the version just installed, like `npm install NAME` records it
  if (!options.version) draft.setModuleReference(name, reference);
  await draft.commit();
  return {
    workspace: root,
    type,
    name,
    source,
    reference,
    version,
    installed: result.installed,
    modules: result.plan,
  };
}

/** The nearest `extensions/` directory holding providers/, taskservs/ or clusters/, walking up. */
export function findExtensionsDir(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, 'extensions');
    if (['providers', 'taskservs', 'clusters'].some((t) => existsSync(join(candidate, t)))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** NAME is one repository path component; `redis@1.2` or `redis:1.2` is a version given in the wrong place. */
function checkModuleName(name: string): void {
  if (isValidPathComponent(name)) return;
  const versioned = /^([^@:]+)[@:](.+)$/.exec(name);
  throw new ProvisioningError('EXTENSION_NAME_INVALID', `extension name "${name}" is not valid`, {
    kind: 'usage',
    hint:
      !versioned || !isValidPathComponent(versioned[1]!)
        ? 'use the extension name alone: lowercase letters and digits, optionally separated by ".", "_" or "-"'
        : semver.valid(versioned[2]!.replace(/^v/, ''))
          ? `give the version with --version: module load TYPE WORKSPACE ${versioned[1]} --version ${versioned[2]}`
          : `pass the name ${versioned[1]} alone for the newest version, or pin one with --version (e.g. 1.0.0)`,
  });
}

/** A listed module's tag is an exact pin (docs/dependencies.md): a range belongs in a manifest. */
function checkPinnedVersion(version: string): void {
  if (semver.valid(version.replace(/^v/, ''))) return;
  throw new ProvisioningError('EXTENSION_VERSION_INVALID', `--version ${version} is not a version`, {
    kind: 'usage',
    hint: semver.validRange(version)
      ? 'a listed module is pinned to one version, e.g. --version 1.28.0; leave --version out for the newest'
      : 'give a semver version such as 1.28.0',
  });
}
