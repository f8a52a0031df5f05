import type { CatalogContext, EffectiveConfig } from '@provisioning/workspace';
import { openCatalogContext as openCatalog } from '@provisioning/workspace';

export type { CatalogContext };

/** The registry session and workspace settings the catalog tools ask; opened once per server. */
export function openCatalogContext(
  workspace: string,
  coreVersion: string,
  config?: EffectiveConfig,
): Promise<CatalogContext> {
  return openCatalog({ workspace, coreVersion, server: 'the MCP server', ...(config ? { config } : {}) });
}
