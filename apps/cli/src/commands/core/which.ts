import type { DefaultCore } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';

export default class CoreWhich extends BaseCommand<typeof CoreWhich> {
  static override summary = 'Show the default core: version, path and where that choice comes from';
  static override examples = ['<%= config.bin %> core which'];

  async run(): Promise<DefaultCore> {
    const { whichCore } = await import('@provisioning/workspace');
    const result = await whichCore({ version: this.config.version, root: this.config.root });
    if (!this.isJson)
      this.log(
        `${result.version}  ${result.dir}  (from ${result.from}${result.reference ? `; installed from ${result.reference}` : ''})`,
      );
    return result;
  }
}
