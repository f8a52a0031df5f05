import { Args } from '@oclif/core';
import type { DefaultCore } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';

export default class CoreUse extends BaseCommand<typeof CoreUse> {
  static override summary = 'Make an installed core the default one';
  static override examples = ['<%= config.bin %> core use 3.5.0'];
  static override args = { version: Args.string({ description: 'installed core VERSION', required: true }) };

  async run(): Promise<DefaultCore> {
    const { useCore } = await import('@provisioning/workspace');
    const result = await useCore(this.args.version);
    if (!this.isJson)
      this.log(`default core is now ${result.version} (${result.dir}), recorded in ${result.from}`);
    return result;
  }
}
