/**
 * The subset of the effective configuration that resolving and installing needs, as plain values.
 * Library users can build one by hand; the CLI derives it from `loadEffectiveConfig`.
 */
import { join } from 'node:path';
import { ProvisioningError, type WorkspaceConfig } from '@provisioning/schemas';
import type { EffectiveConfig, MirrorEndpoint } from '../config/effective-config.js';

export interface WorkspaceSettings {
  /** Workspace root (holds `config/provisioning.yaml`). */
  root: string;
  config: WorkspaceConfig;
  /** Default registry host[:port] and namespaces for names without a registry. */
  registry: string;
  extensionsNamespace: string;
  platformNamespace: string;
  tlsEnabled: boolean;
  insecure: boolean;
  authTokenPath?: string | undefined;
  /** The docker-format auth file read first (`--registry-config`, `REGISTRY_AUTH_FILE`). */
  authFile?: string | undefined;
  /** One-off credentials for `registry`, never stored (`-u USER --password-stdin`). */
  registryCredential?: { username: string; password: string } | undefined;
  /** PEM files for TLS to `registry` (`--ca-file`, `--cert-file`, `--key-file`). */
  tlsFiles?: { caFile?: string; certFile?: string; keyFile?: string } | undefined;
  /** Content-addressed cache root. */
  cacheDir: string;
  /** `oci-layout`: extensions come from the embedded storage at `layoutPath`. */
  registryType: 'oci' | 'oci-layout';
  layoutPath: string;
  home: string;
  /** Registry timeout in ms (`--timeout`, `PROVISIONING_TIMEOUT`); the client default when absent. */
  timeoutMs?: number;
  /** Mirrors by upstream host, tried in order for reads (docs/sources.md, "Registry mirrors"). */
  mirrors?: Record<string, MirrorEndpoint[]>;
  /** Git server of `gitea://` references and `source_type: gitea` (docs/sources.md). */
  giteaUrl?: string | undefined;
}

export function settingsFromEffectiveConfig(effective: EffectiveConfig): WorkspaceSettings {
  const root = effective.workspace.value;
  if (!root || !effective.workspaceConfig) {
    throw new ProvisioningError(
      'WORKSPACE_NOT_FOUND',
      'no workspace found (no config/provisioning.yaml here or above)',
      {
        kind: 'input',
        hint: 'run inside a workspace, pass --workspace DIR, or set PROVISIONING_WORKSPACE',
      },
    );
  }
  return settingsFor(effective, root, effective.workspaceConfig);
}

/**
 * Settings of a workspace that lists no modules and exists nowhere on disk, from the registry and
 * home configuration: what a dry-run resolve of a module list needs outside any workspace (nothing
 * is read from or written to `root`).
 */
export function settingsWithoutWorkspace(effective: EffectiveConfig): WorkspaceSettings {
  return settingsFor(effective, join(effective.home.value, '.no-workspace'), { dependencies: {} });
}

function settingsFor(effective: EffectiveConfig, root: string, config: WorkspaceConfig): WorkspaceSettings {
  return {
    root,
    config,
    registry: effective.registry.value,
    extensionsNamespace: effective.namespaces.extensions.value,
    platformNamespace: effective.namespaces.platform.value,
    tlsEnabled: effective.tlsEnabled.value,
    insecure: effective.insecure.value,
    authTokenPath: effective.authTokenPath.value,
    authFile: effective.registryConfig.value,
    registryCredential: effective.registryCredential,
    tlsFiles: effective.tlsFiles,
    cacheDir: effective.cacheDir.value,
    registryType: effective.registryType.value,
    layoutPath: effective.layoutPath.value,
    home: effective.home.value,
    timeoutMs: effective.timeout.value,
    mirrors: Object.fromEntries(Object.entries(effective.mirrors).map(([host, list]) => [host, list.value])),
    giteaUrl: effective.giteaUrl.value,
  };
}

export function workspaceConfigFile(root: string): string {
  return join(root, 'config', 'provisioning.yaml');
}
