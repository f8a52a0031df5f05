import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer, type McpServerOptions } from './create-server.js';

/** Serves MCP over stdin/stdout (how Claude Desktop and VS Code start local servers). */
export async function serveStdio(options: McpServerOptions = {}): Promise<void> {
  const server = createMcpServer(options);
  await server.connect(new StdioServerTransport());
}
