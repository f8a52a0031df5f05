import { Flags } from '@oclif/core';
import type { UpdateRow } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { renderTable } from '../../render/table.js';

export interface DepCheckUpdatesOutput {
  workspace: string;
  modules: UpdateRow[];
}

export default class DepCheckUpdates extends BaseCommand<typeof DepCheckUpdates> {
  static override summary =
    'List modules with newer versions: current, wanted (within the ranges) and latest';
  static override description =
    'For every locked module: the version installed, the highest version the current ranges allow and this core ' +
    'runs (for a module listed in the config: its pinned version) and the newest published version, marked with ' +
    'the core it needs when that is newer than this one. Use `dep update NAME` to move to it.';
  static override examples = [
    '<%= config.bin %> dep check-updates',
    '<%= config.bin %> dep check-updates --json',
  ];
  static override flags = {
    offline: Flags.boolean({ summary: 'Compare against cached versions only.' }),
  };

  async run(): Promise<DepCheckUpdatesOutput> {
    const { checkUpdates } = await import('@provisioning/workspace');
    const settings = await this.workspaceSettings();
    const modules = await checkUpdates(settings, {
      coreVersion: this.config.version,
      offline: this.flags.offline,
    });
    if (!this.isJson) {
      if (modules.length === 0) this.log('all modules are up to date');
      else
        this.log(
          renderTable(
            modules.map((m) => ({
              name: m.name,
              type: m.type,
              current: m.current,
              wanted: m.wanted,
              latest: m.latestRequiresCore ? `${m.latest} (needs core ${m.latestRequiresCore})` : m.latest,
            })),
          ),
        );
    }
    return { workspace: settings.root, modules };
  }
}
