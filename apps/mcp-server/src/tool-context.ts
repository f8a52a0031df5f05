import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

/** What every tool registration gets: the server to register on and where it was started. */
export interface ToolContext {
  server: McpServer;
  /** The workspace directory (`--workspace`, default the current directory). */
  workspace: string;
  /** The CLI entry (`bin/run.js`) the write tools run; only set when writes are allowed. */
  cliBin?: string;
  /** Global flags passed on to every CLI run. */
  cliArgs: string[];
}
