import { z } from 'zod';
import { EXTENSION_TYPES } from './manifest.js';
import { digestString, extensionName, referenceString, semverString } from './zod-validators.js';

/**
 * `infra/ENV/state.yaml`: what `taskserv create` (and `cluster create`, `provider create`) installed
 * on an infra's hosts, module by module; `delete` removes the entry (docs/workspaces.md, "Infra state").
 */

export const INFRA_STATE_VERSION = 1;

export const installedModuleSchema = z.strictObject({
  type: z.enum(EXTENSION_TYPES),
  version: semverString('installed version'),
  reference: referenceString('full reference the module came from'),
  manifest_digest: digestString('digest of the OCI manifest'),
  layer_digest: digestString('digest of the content layer (tar+gzip)'),
  dependencies: z.array(extensionName('dependency name')).describe('the modules it depends on'),
  installed_at: z.string().min(1).describe('when its install.nu succeeded (ISO 8601, UTC)'),
});

export const infraStateSchema = z
  .strictObject({
    state_version: z.literal(INFRA_STATE_VERSION),
    infra: z.string().min(1),
    modules: z.record(extensionName('module name'), installedModuleSchema),
  })
  .describe('infra state (infra/ENV/state.yaml)');

export type InstalledModule = z.infer<typeof installedModuleSchema>;
export type InfraState = z.infer<typeof infraStateSchema>;
