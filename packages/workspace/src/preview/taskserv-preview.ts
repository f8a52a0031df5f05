/**
 * `taskserv create NAME --infra ENV --check`: a dry run. Resolves the taskserv with its dependencies
 * (the workspace's modules plus NAME if it is not listed), renders its templates with
 * `defaults.yaml` deep-merged with `taskservs.NAME` of `WORKSPACE/infra/ENV/settings.yaml`, and
 * returns the previews and the install plan in order. Writes nothing into the workspace (layers may
 * land in the cache).
 */
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unpackExtension } from '@provisioning/packager';
import {
  isProvisioningError,
  ProvisioningError,
  parseYamlData,
  type WorkspaceConfig,
} from '@provisioning/schemas';
import { rootModules } from '../config/root-modules.js';
import type { PlanEntry } from '../plan/install-plan.js';
import { RegistryClients } from '../repository/open-repository.js';
import { resolveWorkspace } from '../resolve/resolve-workspace.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';
import { createWorkspaceSource } from '../source/workspace-source.js';
import { deepMerge, isMapping, type RenderedTemplate, renderTemplates } from './render-templates.js';

export interface TaskservPreview {
  name: string;
  version: string;
  reference: string;
  infra: string;
  settingsFile: string;
  values: Record<string, unknown>;
  rendered: RenderedTemplate[];
  /** Install order (dependencies first), as `dep resolve` would do it. */
  plan: PlanEntry[];
}

export async function previewTaskserv(
  settings: WorkspaceSettings,
  options: { name: string; infra: string; coreVersion: string; offline?: boolean; clients?: RegistryClients },
): Promise<TaskservPreview> {
  const { name, infra } = options;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(infra)) {
    throw new ProvisioningError('INFRA_INVALID', `--infra ${JSON.stringify(infra)} is not an infra name`, {
      kind: 'usage',
      hint: 'use the name of a directory under WORKSPACE/infra/',
    });
  }
  const settingsFile = join(settings.root, 'infra', infra, 'settings.yaml');
  try {
    await access(settingsFile);
  } catch {
    throw new ProvisioningError('INFRA_NOT_FOUND', `no infra settings ${settingsFile}`, {
      kind: 'input',
      hint: `create infra/${infra}/settings.yaml in the workspace (taskserv values under taskservs.${name})`,
    });
  }
  const infraText = await readFile(settingsFile, 'utf8');
  const infraSettings = (parseYamlData(infraText, { file: settingsFile }) ?? {}) as Record<string, unknown>;
  const taskservs = isMapping(infraSettings.taskservs) ? infraSettings.taskservs : {};
  const override = isMapping(taskservs[name]) ? (taskservs[name] as Record<string, unknown>) : {};

  const withModule = includeTaskserv(settings, name);
  const clients = options.clients ?? RegistryClients.forSettings(settings);
  try {
    return await preview(withModule, { ...options, clients }, { settingsFile, override });
  } finally {
    if (!options.clients) await clients.close();
  }
}

async function preview(
  withModule: WorkspaceSettings,
  options: { name: string; infra: string; coreVersion: string; offline?: boolean; clients: RegistryClients },
  infraValues: { settingsFile: string; override: Record<string, unknown> },
): Promise<TaskservPreview> {
  const { name, infra, clients } = options;
  const { settingsFile, override } = infraValues;
  const settings = withModule;
  const result = await resolveWorkspace({
    settings: withModule,
    coreVersion: options.coreVersion,
    dryRun: true,
    offline: options.offline ?? false,
    clients,
  }).catch((error: unknown) => {
    // the module was listed under taskservs by this preview, not by the user: say what it is
    if (isProvisioningError(error) && error.code === 'MODULE_TYPE_MISMATCH' && error.details.name === name)
      throw notATaskserv(name, String(error.details.type));
    throw error;
  });
  const artifact = result.artifacts.get(name)!;
  if (artifact.type !== 'taskserv') throw notATaskserv(name, artifact.type);

  const roots = rootModules(withModule.config, {
    registry: settings.registry,
    namespace: settings.extensionsNamespace,
  });
  const source = createWorkspaceSource({
    settings: withModule,
    roots,
    clients,
    offline: options.offline ?? false,
  });
  const work = await mkdtemp(join(tmpdir(), 'provisioning-preview-'));
  try {
    await source.ensureLayer(artifact);
    const dir = join(work, name);
    await unpackExtension(await source.openLayer(artifact), dir, { expectedDigest: artifact.layer.digest });
    const defaultsText = await readFile(join(dir, 'defaults.yaml'), 'utf8').catch(() => '{}');
    const defaultsFile = `${artifact.reference}: defaults.yaml`;
    const defaults = (parseYamlData(defaultsText, { file: defaultsFile }) ?? {}) as Record<string, unknown>;
    const values = deepMerge(isMapping(defaults) ? defaults : {}, override);
    const rendered = await renderTemplates(join(dir, 'templates'), values);
    return {
      name,
      version: artifact.version,
      reference: artifact.reference,
      infra,
      settingsFile,
      values,
      rendered,
      plan: result.plan,
    };
  } finally {
    await source.close?.();
    await rm(work, { recursive: true, force: true });
  }
}

/** The settings with NAME added as a taskserv (any version) when the workspace does not list it. */
function includeTaskserv(settings: WorkspaceSettings, name: string): WorkspaceSettings {
  const roots = rootModules(settings.config, {
    registry: settings.registry,
    namespace: settings.extensionsNamespace,
  });
  if (roots.some((r) => r.name === name)) return settings;
  const config: WorkspaceConfig = structuredClone(settings.config);
  config.dependencies.extensions = config.dependencies.extensions ?? {};
  const extensions = config.dependencies.extensions;
  extensions.modules = extensions.modules ?? {};
  extensions.modules.taskservs = [
    ...(extensions.modules.taskservs ?? []),
    `${settings.registry}/${settings.extensionsNamespace}/${name}`,
  ];
  return { ...settings, config };
}

function notATaskserv(name: string, type: string): ProvisioningError {
  return new ProvisioningError('MODULE_TYPE_MISMATCH', `${name} is a ${type}, not a taskserv`, {
    kind: 'input',
    hint: `taskserv create previews taskservs only; a ${type} is added with \`provisioning module load ${type} WORKSPACE ${name}\` and checked with \`provisioning dep resolve\``,
    details: { name, type },
  });
}
