import { Args, Flags } from '@oclif/core';
import type { RollbackResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';

export default class DepRollback extends BaseCommand<typeof DepRollback> {
  static override summary = 'Return to an earlier install generation (default: the one before the current)';
  static override description =
    'Switches the installed tree to the generation atomically, then restores config/provisioning.lock and the ' +
    'module pins of config/provisioning.yaml (comments kept). The generation is taken from disk, so an intact ' +
    'history needs no registry; a damaged module is extracted again from the cache. Says so when the ' +
    'generation was installed by another core version. See `dep history` for the numbers.';
  static override examples = [
    '<%= config.bin %> dep rollback',
    '<%= config.bin %> dep rollback 2',
    '<%= config.bin %> dep rollback 3 --keep 10 --json',
    '<%= config.bin %> dep rollback --offline',
  ];
  static override args = {
    generation: Args.integer({ description: 'generation number (see dep history)', min: 1 }),
  };
  static override flags = {
    keep: Flags.integer({
      summary:
        'Generations to keep; older ones are pruned (the current one and its predecessor always stay).',
      default: 5,
      min: 1,
    }),
    offline: Flags.boolean({
      summary: 'Never contact a registry: a damaged module is extracted again from the cache only.',
    }),
  };

  async run(): Promise<RollbackResult> {
    const { rollbackWorkspace } = await import('@provisioning/workspace');
    const settings = await this.workspaceSettings();
    const result = await rollbackWorkspace({
      settings,
      keep: this.flags.keep,
      offline: this.flags.offline,
      ...(this.args.generation === undefined ? {} : { to: this.args.generation }),
    });
    if (!this.isJson) {
      if (!result.switched) {
        this.log(`generation ${result.to} is already installed in ${result.workspace}; nothing changed`);
        return result;
      }
      this.log(`rolled back ${result.workspace} from generation ${result.from} to ${result.to}`);
      for (const line of result.changes) this.log(`  ${line}`);
      for (const pin of result.pins) {
        this.log(
          pin.from === undefined
            ? `  config: added ${pin.to}`
            : pin.to === undefined
              ? `  config: removed ${pin.from}`
              : `  config: ${pin.from} → ${pin.to}`,
        );
      }
      if (result.repaired.length > 0)
        this.log(`  re-extracted (were damaged): ${result.repaired.join(', ')}`);
      if (result.coreChange) {
        this.log(
          `note: generation ${result.to} was installed by core ${result.coreChange.to}; generation ${result.from} by core ${result.coreChange.from}`,
        );
      }
      this.log(`lockfile ${result.lockfile} restored`);
    }
    return result;
  }
}
