import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ProvisioningError } from '@provisioning/schemas';
import type { EffectiveConfig } from '@provisioning/workspace';
import type { CatalogContext } from './catalog-context.js';
import type { ToolContext } from './tool-context.js';
import { toolError } from './tool-result.js';
import { registerCatalogTools } from './tools/catalog-tools.js';
import { registerValidateExtension } from './tools/validate-extension.js';
import { registerWriteTools, WRITE_TOOLS } from './tools/write-tools.js';

export interface McpServerOptions {
  /** Workspace directory the tools work in (default: the current directory). */
  workspace?: string;
  /** Registers `dep_resolve` and `oci_pull`; without it they are neither listed nor callable. */
  allowWrites?: boolean;
  /** The CLI entry (`bin/run.js`) the write tools run; required with `allowWrites`. */
  cliBin?: string;
  /** Global flags the write tools pass on to the CLI (`--registry`, `--namespace`, `--plain-http`). */
  cliArgs?: string[];
  /** Version reported in the initialize handshake (the CLI passes its own). */
  version?: string;
  /** Effective configuration (the CLI passes its own); default: loaded from `workspace`. */
  config?: EffectiveConfig;
}

/** One MCP server with the provisioning tools (read-only unless `allowWrites`). */
export function createMcpServer(catalog: CatalogContext, options: McpServerOptions = {}): McpServer {
  const server = new McpServer({ name: 'provisioning', version: options.version ?? '0.0.0' });
  const ctx: ToolContext = {
    server,
    workspace: options.workspace ?? process.cwd(),
    cliBin: options.cliBin,
    cliArgs: options.cliArgs ?? [],
  };
  registerCatalogTools(ctx, catalog);
  registerValidateExtension(ctx);
  if (options.allowWrites) registerWriteTools(ctx);
  else refuseWriteCalls(server);
  return server;
}

type Handler = (request: { params: { name: string } }, extra: unknown) => Promise<unknown>;

/**
 * A client that calls a write tool anyway (it is not listed) gets the catalogue's
 * MCP_WRITES_DISABLED with the fix, rather than the SDK's bare "tool not found".
 */
function refuseWriteCalls(server: McpServer): void {
  // The SDK installs its tools/call handler lazily, on the first registerTool (done above).
  const handlers = (server.server as unknown as { _requestHandlers: Map<string, Handler> })._requestHandlers;
  const original = handlers.get('tools/call');
  if (original === undefined) return;
  handlers.set('tools/call', async (request, extra) => {
    const name = request.params.name;
    if ((WRITE_TOOLS as readonly string[]).includes(name)) {
      return toolError(
        new ProvisioningError(
          'MCP_WRITES_DISABLED',
          `${name} writes to the workspace; this server is read-only`,
          {
            hint: 'restart it with `provisioning platform mcp --allow-writes`',
          },
        ),
      );
    }
    return original(request, extra);
  });
}
