import { readFile } from 'node:fs/promises';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { controlCenterDir } from '../../io/control-center-dir.js';
import { openUrl, urlOpener } from '../../io/open-url.js';
import PlatformApi from './api.js';

export interface PlatformUiOutput {
  url: string;
  host: string;
  port: number;
  token_required: boolean;
  ui_dir: string;
  opened: boolean;
}

export default class PlatformUi extends BaseCommand<typeof PlatformUi> {
  static override summary = 'Serve the control-center web UI (with the REST API) and open it in a browser';
  static override description =
    'Starts the API gateway like `platform api` with the control-center UI at / (docs/platform.md, "Control ' +
    'center"), prints the URL (with #token=... when --token-file is given, so the page can authenticate) and ' +
    'opens it with xdg-open/open when available. Runs until SIGINT or SIGTERM.';
  static override examples = [
    '<%= config.bin %> platform ui',
    '<%= config.bin %> platform ui --port 8080 --no-open',
    '<%= config.bin %> platform ui --host 0.0.0.0 --token-file ~/.config/provisioning/api-token',
  ];
  static override flags = {
    port: PlatformApi.flags.port,
    host: PlatformApi.flags.host,
    'token-file': PlatformApi.flags['token-file'],
    'ui-dir': PlatformApi.flags['ui-dir'],
    open: Flags.boolean({
      summary: 'Open the URL in a browser (--no-open: only print it).',
      default: true,
      allowNo: true,
    }),
  };

  async run(): Promise<PlatformUiOutput> {
    const { startApiServer } = await import('@provisioning/api-gateway');
    const config = await this.effectiveConfig();
    const tokenFile = this.flags['token-file'];
    // checked before listening: a missing UI starts nothing
    const uiDir = controlCenterDir(this.flags['ui-dir']);
    if (!uiDir) {
      const { ProvisioningError } = await import('@provisioning/schemas');
      const where = this.flags['ui-dir'] ?? 'apps/control-center/dist';
      throw new ProvisioningError(
        'UI_NOT_BUILT',
        `no built control-center UI: ${where}/index.html is missing`,
        {
          kind: 'usage',
          hint: 'run: pnpm --filter @provisioning/control-center build, or pass --ui-dir DIR',
        },
      );
    }
    const server = await startApiServer({
      config,
      host: this.flags.host,
      port: this.flags.port,
      version: this.config.version,
      uiDir,
      ...(tokenFile ? { tokenFile } : {}),
    });
    // the server has already validated the token file; the page reads #token= once and drops it from the URL
    const token = tokenFile ? (await readFile(tokenFile, 'utf8')).trim() : undefined;
    const pageUrl = `${server.url}/${token ? `#token=${encodeURIComponent(token)}` : ''}`;
    const opener = this.flags.open ? urlOpener() : undefined;
    if (opener) openUrl(opener, pageUrl);
    const output: PlatformUiOutput = {
      url: pageUrl,
      host: server.host,
      port: server.port,
      token_required: server.tokenRequired,
      ui_dir: uiDir,
      opened: opener !== undefined,
    };
    if (this.isJson) process.stdout.write(`${JSON.stringify(output)}\n`);
    else {
      this.log(`Control center: ${pageUrl}`);
      this.log(`API: ${server.url}/api/v1, UI files from ${uiDir}`);
      if (this.flags.open && !opener) this.log('no xdg-open/open on PATH: open the URL above in a browser');
    }
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await server.close();
    if (!this.isJson) this.log('control center stopped');
    return output;
  }
}
