/**
 * What a catalog server (the API gateway, the MCP server) opens once: a registry session on the
 * effective configuration and, inside a workspace, its settings. Outside a workspace the registry
 * questions still answer; the workspace questions say where to start the server.
 */
import { ProvisioningError } from '@provisioning/schemas';
import type { EffectiveConfig, Env } from '../config/effective-config.js';
import { loadEffectiveConfig } from '../config/load-effective-config.js';
import { OciSession } from '../oci/oci-session.js';
import {
  settingsFromEffectiveConfig,
  settingsWithoutWorkspace,
  type WorkspaceSettings,
} from '../settings/workspace-settings.js';
import type { DryRunOptions } from './resolve-dry-run.js';

export interface CatalogContext {
  session: OciSession;
  /** Undefined when the server was started outside a workspace. */
  settings: WorkspaceSettings | undefined;
  /** What dry-run resolves use: the workspace's settings, or outside one a workspace with no modules. */
  resolveSettings: WorkspaceSettings;
  /** The running core version, used by resolves. */
  coreVersion: string;
  /** What the server is called in errors ("the API gateway"). */
  server: string;
}

export interface CatalogContextOptions {
  /** Workspace directory; default: found from the current directory. */
  workspace?: string;
  coreVersion: string;
  env?: Env;
  /** An effective configuration already loaded (the CLI's, with its flags). */
  config?: EffectiveConfig;
  /** What the server is called in errors (default "the server"). */
  server?: string;
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
  return {
    session: new OciSession(config),
    settings,
    resolveSettings: settings ?? settingsWithoutWorkspace(config),
    coreVersion: options.coreVersion,
    server: options.server ?? 'the server',
  };
}

/** The workspace's settings, for the questions only a workspace answers (status, why). */
export function requireWorkspace(ctx: CatalogContext): WorkspaceSettings {
  if (ctx.settings) return ctx.settings;
  throw new ProvisioningError('WORKSPACE_NOT_FOUND', `${ctx.server} was started outside a workspace`, {
    kind: 'input',
    hint: 'start it with --workspace DIR',
  });
}

/** `resolveDryRun`'s options from the context; works inside a workspace or outside one. */
export function dryRunOptions(ctx: CatalogContext, namespace?: string): DryRunOptions {
  return {
    settings: ctx.resolveSettings,
    coreVersion: ctx.coreVersion,
    session: ctx.session,
    ...(namespace ? { namespace } : {}),
  };
}
