import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { openCatalogContext } from './catalog-context.js';
import { createMcpServer, type McpServerOptions } from './create-server.js';

/** Serves MCP over stdin/stdout (how Claude Desktop and VS Code start local servers). */
export async function serveStdio(options: McpServerOptions = {}): Promise<void> {
  const workspace = options.workspace ?? process.cwd();
  const catalog = await openCatalogContext(workspace, options.version ?? '0.0.0', options.config);
  const server = createMcpServer(catalog, options);
  await server.connect(new StdioServerTransport());
}
