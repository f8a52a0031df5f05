import { ProvisioningError } from '@provisioning/schemas';
import {
  type EffectiveConfig,
  loadEffectiveConfig,
  OciSession,
  settingsFromEffectiveConfig,
  type WorkspaceSettings,
} from '@provisioning/workspace';

/** The registry session and workspace settings the catalog tools ask; opened once per server. */
export interface CatalogContext {
  session: OciSession;
  settings: WorkspaceSettings | undefined;
  coreVersion: string;
}

export async function openCatalogContext(
  workspace: string,
  coreVersion: string,
  config?: EffectiveConfig,
): Promise<CatalogContext> {
  const effective =
    config ?? (await loadEffectiveConfig({ cwd: workspace, env: process.env, flags: { workspace } }));
  let settings: WorkspaceSettings | undefined;
  try {
    settings = settingsFromEffectiveConfig(effective);
  } catch {
    // outside a workspace the registry tools still answer; the workspace tools say where to start
  }
  return { session: new OciSession(effective), settings, coreVersion };
}

export function needWorkspace(ctx: CatalogContext): WorkspaceSettings {
  if (ctx.settings) return ctx.settings;
  throw new ProvisioningError('WORKSPACE_NOT_FOUND', 'the MCP server was started outside a workspace', {
    kind: 'input',
    hint: 'start it with --workspace DIR',
  });
}
