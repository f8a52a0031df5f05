/**
 * Resolve the workspace with one more module (of a given type) in it, as `taskserv create` does: the
 * workspace's modules plus NAME when it is not listed, nothing written (docs/workspaces.md,
 * "Taskservs, clusters and providers").
 */
import {
  type ExtensionType,
  isProvisioningError,
  ProvisioningError,
  type WorkspaceConfig,
} from '@provisioning/schemas';
import { rootModules } from '../config/root-modules.js';
import type { RegistryClients } from '../repository/open-repository.js';
import { type ResolveWorkspaceResult, resolveWorkspace } from '../resolve/resolve-workspace.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';
import type { ExtensionArtifact, ExtensionSource } from '../source/extension-source.js';
import { createWorkspaceSource } from '../source/workspace-source.js';

export interface ResolvedModule {
  result: ResolveWorkspaceResult;
  artifact: ExtensionArtifact;
  /** The settings with the module listed. */
  settings: WorkspaceSettings;
}

export async function resolveWithModule(
  settings: WorkspaceSettings,
  options: {
    type: ExtensionType;
    name: string;
    coreVersion: string;
    offline?: boolean;
    clients: RegistryClients;
  },
): Promise<ResolvedModule> {
  const { type, name } = options;
  const withModule = includeModule(settings, type, name);
  const result = await resolveWorkspace({
    settings: withModule,
    coreVersion: options.coreVersion,
    dryRun: true,
    offline: options.offline ?? false,
    clients: options.clients,
  }).catch((error: unknown) => {
    // the module was listed under `type` by this command, not by the user: say what it is
    if (isProvisioningError(error) && error.code === 'MODULE_TYPE_MISMATCH' && error.details.name === name)
      throw notOfType(name, String(error.details.type), type);
    throw error;
  });
  const artifact = result.artifacts.get(name)!;
  if (artifact.type !== type) throw notOfType(name, artifact.type, type);
  return { result, artifact, settings: withModule };
}

/** The extension source of the workspace, knowing where each listed module lives. */
export function moduleSource(
  settings: WorkspaceSettings,
  options: { clients: RegistryClients; offline?: boolean },
): ExtensionSource {
  const roots = rootModules(settings.config, {
    registry: settings.registry,
    namespace: settings.extensionsNamespace,
  });
  return createWorkspaceSource({
    settings,
    roots,
    clients: options.clients,
    offline: options.offline ?? false,
  });
}

/** The settings with NAME added as a module of `type` (any version) when the workspace does not list it. */
function includeModule(settings: WorkspaceSettings, type: ExtensionType, name: string): WorkspaceSettings {
  const roots = rootModules(settings.config, {
    registry: settings.registry,
    namespace: settings.extensionsNamespace,
  });
  if (roots.some((r) => r.name === name)) return settings;
  const config: WorkspaceConfig = structuredClone(settings.config);
  config.dependencies.extensions = config.dependencies.extensions ?? {};
  const extensions = config.dependencies.extensions;
  extensions.modules = extensions.modules ?? {};
  const key = `${type}s` as const;
  extensions.modules[key] = [
    ...(extensions.modules[key] ?? []),
    `${settings.registry}/${settings.extensionsNamespace}/${name}`,
  ];
  return { ...settings, config };
}

export function notOfType(name: string, actual: string, wanted: ExtensionType): ProvisioningError {
  return new ProvisioningError('MODULE_TYPE_MISMATCH', `${name} is a ${actual}, not a ${wanted}`, {
    kind: 'input',
    hint: `use \`provisioning ${actual} create ${name} --infra ENV\`, or add it with \`provisioning module load ${actual} WORKSPACE ${name}\``,
    details: { name, type: actual },
  });
}
