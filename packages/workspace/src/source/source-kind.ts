/**
 * Which source a workspace uses and where its local directories are — kept free of registry and
 * packager code so light entry points (`@provisioning/workspace/lean`) can use it.
 */
import { type GitModuleReference, ProvisioningError } from '@provisioning/schemas';
import { resolveConfigPath } from '../config/home.js';
import type { RootModule } from '../config/root-modules.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';
import type { ModuleSourceKind } from './extension-source.js';

export function workspaceSourceKind(settings: WorkspaceSettings): ModuleSourceKind {
  const type = settings.config.dependencies.extensions?.source_type;
  if (type === 'gitea') return 'git';
  if (type === 'local') return 'local';
  // `oci` follows the effective registry type: the embedded default turns the local registry into its storage
  if (type === 'oci-layout' || settings.registryType === 'oci-layout') return 'oci-layout';
  return 'oci';
}

/** The source a root module comes from: its git repository, or the workspace's source. */
export function rootSourceKind(root: RootModule, settings: WorkspaceSettings): ModuleSourceKind {
  return root.git ? 'git' : workspaceSourceKind(settings);
}

/**
 * The repository URL of `source_type: gitea`: `dependencies.extensions.gitea.url` (or
 * `PROVISIONING_GITEA_URL`) joined with `.repository` (docs/sources.md, "Git sources").
 */
export function giteaRepositoryUrl(settings: WorkspaceSettings): string {
  const repository = settings.config.dependencies.extensions?.gitea?.repository;
  if (!repository) {
    throw new ProvisioningError(
      'CONFIG_MISSING_KEY',
      'dependencies.extensions.gitea.repository is required with source_type: gitea',
      {
        kind: 'input',
        hint: 'set it to the repository holding the extensions, e.g. org/provisioning-extensions',
      },
    );
  }
  return `${giteaServer(settings, 'source_type: gitea')}/${repository}`;
}

/**
 * The repository a root module comes from when that is a git repository (its own reference, or
 * the workspace's `source_type: gitea` repository); undefined for OCI and local roots.
 */
export function gitUrlOfRoot(root: RootModule, settings: WorkspaceSettings): string | undefined {
  if (root.git) return gitModuleUrl(root.git, settings);
  return workspaceSourceKind(settings) === 'git' ? giteaRepositoryUrl(settings) : undefined;
}

/** The URL git is given for a git module reference. */
export function gitModuleUrl(ref: GitModuleReference, settings: WorkspaceSettings): string {
  if (ref.scheme !== 'gitea') return ref.location;
  return `${giteaServer(settings, ref.written)}/${ref.location}`;
}

function giteaServer(settings: WorkspaceSettings, what: string): string {
  if (!settings.giteaUrl) {
    throw new ProvisioningError('CONFIG_MISSING_KEY', `${what} needs dependencies.extensions.gitea.url`, {
      kind: 'input',
      hint: 'set it (or PROVISIONING_GITEA_URL) to the git server, e.g. https://gitea.company.com',
    });
  }
  return settings.giteaUrl.replace(/\/+$/, '');
}

export function localExtensionsPath(settings: WorkspaceSettings): string {
  const configured = settings.config.dependencies.extensions?.local?.path;
  if (!configured) {
    throw new ProvisioningError(
      'CONFIG_MISSING_KEY',
      'dependencies.extensions.local.path is required with source_type: local',
      {
        kind: 'input',
        hint: 'set it to the directory holding providers/, taskservs/ and clusters/',
      },
    );
  }
  return absolute(settings, configured);
}

export function layoutStorePath(settings: WorkspaceSettings): string {
  const configured = settings.config.dependencies.extensions?.oci_layout?.path;
  return configured ? absolute(settings, configured) : settings.layoutPath;
}

function absolute(settings: WorkspaceSettings, path: string): string {
  // `~` and `~/.provisioning/…` as the rest of the configuration reads them; relative to the workspace
  return resolveConfigPath(path, settings.root, process.env);
}
