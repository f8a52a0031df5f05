/**
 * `taskserv create NAME --infra ENV --check`: a dry run. Resolves the taskserv with its dependencies
 * (the workspace's modules plus NAME if it is not listed), renders its templates with
 * `defaults.yaml` deep-merged with `taskservs.NAME` of `WORKSPACE/infra/ENV/settings.yaml`, and
 * returns the previews and the install plan in order. Writes nothing into the workspace (layers may
 * land in the cache).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExtensionType } from '@provisioning/schemas';
import type { PlanEntry } from '../plan/install-plan.js';
import { RegistryClients } from '../repository/open-repository.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';
import { loadInfraSettings, moduleOverride } from './infra-settings.js';
import { prepareModule } from './prepare-module.js';
import type { RenderedTemplate } from './render-templates.js';
import { moduleSource, resolveWithModule } from './resolve-module.js';

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
  options: {
    name: string;
    infra: string;
    coreVersion: string;
    offline?: boolean;
    clients?: RegistryClients;
    /** The module type (default taskserv): clusters and providers preview the same way. */
    type?: ExtensionType;
  },
): Promise<TaskservPreview> {
  const { name, infra } = options;
  const type = options.type ?? 'taskserv';
  const infraSettings = await loadInfraSettings(settings.root, infra, { type, name });
  const clients = options.clients ?? RegistryClients.forSettings(settings);
  try {
    const resolved = await resolveWithModule(settings, { ...options, type, clients });
    const source = moduleSource(resolved.settings, { clients, offline: options.offline });
    const work = await mkdtemp(join(tmpdir(), 'provisioning-preview-'));
    try {
      const { artifact } = resolved;
      const prepared = await prepareModule(
        source,
        artifact,
        moduleOverride(infraSettings, type, name),
        join(work, name),
      );
      return {
        name,
        version: artifact.version,
        reference: artifact.reference,
        infra,
        settingsFile: infraSettings.file,
        values: prepared.values,
        rendered: prepared.rendered,
        plan: resolved.result.plan,
      };
    } finally {
      await source.close?.();
      await rm(work, { recursive: true, force: true });
    }
  } finally {
    if (!options.clients) await clients.close();
  }
}
