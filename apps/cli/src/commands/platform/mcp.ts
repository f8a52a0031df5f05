import { join, resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';

export default class PlatformMcp extends BaseCommand<typeof PlatformMcp> {
  static override summary = 'Serve the provisioning tools to AI assistants over MCP (stdio or HTTP)';
  static override description =
    'Starts a Model Context Protocol server over stdio (default: what Claude Desktop and VS Code launch) or ' +
    'streamable HTTP at http://HOST:PORT/mcp (--http; loopback by default, any other --host needs --token-file, ' +
    'and then every request must send Authorization: Bearer TOKEN). Read-only unless --allow-writes, which adds ' +
    'only dep_resolve and oci_pull. See docs/platform.md, "MCP server".';
  static override examples = [
    '<%= config.bin %> platform mcp',
    '<%= config.bin %> platform mcp --http --port 7331',
    '<%= config.bin %> platform mcp --http --host 0.0.0.0 --token-file ~/.config/provisioning/mcp-token',
    '<%= config.bin %> platform mcp --allow-writes --workspace ./infra',
  ];
  static override flags = {
    http: Flags.boolean({ summary: 'Serve streamable HTTP instead of stdio.' }),
    port: Flags.integer({ summary: 'HTTP port (default: a free one, printed).', min: 0, max: 65535 }),
    host: Flags.string({ summary: 'HTTP bind address (default: 127.0.0.1).' }),
    'token-file': Flags.string({ summary: 'File holding the bearer token HTTP clients must send.' }),
    'allow-writes': Flags.boolean({ summary: 'Also offer the dep_resolve and oci_pull tools (they write).' }),
  };

  async run(): Promise<void> {
    const { serveStdio, startHttpServer } = await import('@provisioning/mcp-server');
    const { flags } = this;
    const options = {
      workspace: resolve(flags.workspace ?? process.cwd()),
      allowWrites: flags['allow-writes'],
      cliBin: join(this.config.root, 'bin', 'run.js'),
      cliArgs: this.passedGlobalFlags(),
      version: this.config.version,
      config: await this.effectiveConfig(),
    };
    if (!flags.http) {
      await serveStdio(options);
      // stdout is the protocol channel: nothing else may be printed there. Ends with the client.
      await new Promise<void>((done) => process.stdin.once('close', done));
      return;
    }
    const server = await startHttpServer({
      ...options,
      ...(flags.host ? { host: flags.host } : {}),
      ...(flags.port !== undefined ? { port: flags.port } : {}),
      ...(flags['token-file'] ? { tokenFile: flags['token-file'] } : {}),
    });
    this.log(
      `MCP server listening at ${server.url}${options.allowWrites ? ' (writes allowed)' : ' (read-only)'}`,
    );
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    await server.close();
  }

  /** The registry flags the write tools' CLI runs must see too. */
  private passedGlobalFlags(): string[] {
    const { flags } = this;
    return [
      ...(flags.registry ? ['--registry', flags.registry] : []),
      ...(flags.namespace ? ['--namespace', flags.namespace] : []),
      ...(flags['plain-http'] ? ['--plain-http'] : []),
    ];
  }
}
