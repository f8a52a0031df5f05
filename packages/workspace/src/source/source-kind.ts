/**
 * Which source a workspace uses and where its local directories are — kept free of registry and
 * packager code so light entry points (`@provisioning/workspace/lean`) can use it.
 */
import { ProvisioningError } from '@provisioning/schemas';
import { resolveConfigPath } from '../config/home.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';
import type { ModuleSourceKind } from './extension-source.js';

export function workspaceSourceKind(settings: WorkspaceSettings): ModuleSourceKind {
  const type = settings.config.dependencies.extensions?.source_type;
  if (type === 'gitea') {
    throw new ProvisioningError(
      'SOURCE_UNSUPPORTED',
      'dependencies.extensions.source_type: gitea is not supported',
      {
        kind: 'input',
        hint: 'use oci (a registry), oci-layout (embedded storage) or local (a monorepo directory)',
      },
    );
  }
  if (type === 'local') return 'local';
  // `oci` follows the effective registry type: the embedded default turns the local registry into its storage
  if (type === 'oci-layout' || settings.registryType === 'oci-layout') return 'oci-layout';
  return 'oci';
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
