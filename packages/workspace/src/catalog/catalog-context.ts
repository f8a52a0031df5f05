/**
 * What a catalog server (the API gateway, the MCP server) opens once: a registry session on the
 * effective configuration and, inside a workspace, its settings. Outside a workspace the registry
 * questions still answer; the workspace questions say where to start the server.
 */
import type { EffectiveConfig, Env } from '../config/effective-config.js';
import { loadEffectiveConfig } from '../config/load-effective-config.js';
import { OciSession } from '../oci/oci-session.js';
import { settingsFromEffectiveConfig, type WorkspaceSettings } from '../settings/workspace-settings.js';

export interface CatalogContext {
  session: OciSession;
  /** Undefined when the server was started outside a workspace. */
  settings: WorkspaceSettings | undefined;
  /** The running core version, used by resolves. */
  coreVersion: string;
}

export interface CatalogContextOptions {
  /** Workspace directory; default: found from the current directory. */
  workspace?: string;
  coreVersion: string;
  env?: Env;
  /** An effective configuration already loaded (the CLI's, with its flags). */
  config?: EffectiveConfig;
}

export async function openCatalogContext(options: CatalogContextOptions): Promise<CatalogContext> {
  const workspace = options.workspace;
  const config =
    options.config ??
    (await loadEffectiveConfig({
      cwd: workspace ?? process.cwd(),
      env: options.env ?? process.env,
      flags: workspace ? { workspace } : {},
    }));
  let settings: WorkspaceSettings | undefined;
  try {
    settings = settingsFromEffectiveConfig(config);
  } catch {
    // not a workspace: only the workspace questions need one
  }
  return { session: new OciSession(config), settings, coreVersion: options.coreVersion };
}
