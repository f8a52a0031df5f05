import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { controlCenterDir } from '../../io/control-center-dir.js';

export interface PlatformApiOutput {
  url: string;
  host: string;
  port: number;
  token_required: boolean;
  ui_dir: string | null;
}

export default class PlatformApi extends BaseCommand<typeof PlatformApi> {
  static override summary =
    'Serve the platform REST API (catalog, resolve dry runs, workspace status) and the UI';
  static override description =
    'Starts the API gateway (docs/platform.md, "API gateway") and runs until SIGINT or SIGTERM. It binds ' +
    '127.0.0.1 unless --host says otherwise; a non-loopback host needs --token-file, whose content every ' +
    'request must send as Authorization: Bearer TOKEN. With --json it prints one JSON document once ' +
    'listening and another once stopped.';
  static override examples = [
    '<%= config.bin %> platform api',
    '<%= config.bin %> platform api --port 8080 --workspace ./my-ws',
    '<%= config.bin %> platform api --host 0.0.0.0 --token-file ~/.config/provisioning/api-token',
  ];
  static override flags = {
    port: Flags.integer({
      summary: 'Port to listen on (0: any free port).',
      default: 7700,
      min: 0,
      max: 65535,
    }),
    host: Flags.string({ summary: 'Address to bind.', default: '127.0.0.1' }),
    'token-file': Flags.string({ summary: 'File holding the bearer token requests must send.' }),
    'ui-dir': Flags.string({
      summary: 'Directory of the control-center UI (default: apps/control-center/dist if built).',
    }),
  };

  async run(): Promise<PlatformApiOutput> {
    const { startApiServer } = await import('@provisioning/api-gateway');
    const config = await this.effectiveConfig();
    // the gateway's own default is relative to its source; the bundled CLI finds the built UI itself
    const uiDir = this.flags['ui-dir'] ?? controlCenterDir();
    const server = await startApiServer({
      config,
      host: this.flags.host,
      port: this.flags.port,
      version: this.config.version,
      ...(this.flags['token-file'] ? { tokenFile: this.flags['token-file'] } : {}),
      ...(uiDir ? { uiDir } : {}),
    });
    const output: PlatformApiOutput = {
      url: server.url,
      host: server.host,
      port: server.port,
      token_required: server.tokenRequired,
      ui_dir: server.uiDir ?? null,
    };
    // --json: one document once listening (scripts read the URL from it), one more once stopped
    if (this.isJson) this.logJson(output);
    else {
      this.log(`API listening on ${server.url}/api/v1 (OpenAPI: ${server.url}/openapi.json)`);
      if (server.uiDir) this.log(`UI: ${server.url}/ from ${server.uiDir}`);
      if (server.tokenRequired)
        this.log('requests need Authorization: Bearer TOKEN (the --token-file content)');
    }
    // runs until a signal: then closes the listener and the registry connections
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    if (!this.isJson) this.log('API stopped');
    return output;
  }
}
