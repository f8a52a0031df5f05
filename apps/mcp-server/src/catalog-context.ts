import { ProvisioningError } from '@provisioning/schemas';
import type { CatalogContext, EffectiveConfig, WorkspaceSettings } from '@provisioning/workspace';
import { openCatalogContext as openCatalog } from '@provisioning/workspace';

export type { CatalogContext };

/** The registry session and workspace settings the catalog tools ask; opened once per server. */
export function openCatalogContext(
  workspace: string,
  coreVersion: string,
  config?: EffectiveConfig,
): Promise<CatalogContext> {
  return openCatalog({ workspace, coreVersion, ...(config ? { config } : {}) });
}

export function needWorkspace(ctx: CatalogContext): WorkspaceSettings {
  if (ctx.settings) return ctx.settings;
  throw new ProvisioningError('WORKSPACE_NOT_FOUND', 'the MCP server was started outside a workspace', {
    kind: 'input',
    hint: 'start it with --workspace DIR',
  });
}
