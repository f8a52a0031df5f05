import { resolve } from 'node:path';
import { Args } from '@oclif/core';
import { ProvisioningError } from '@provisioning/schemas';
import type { WorkspaceInfo } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';

export default class WorkspaceInfoCommand extends BaseCommand<typeof WorkspaceInfoCommand> {
  static override summary = "Show a workspace's sources, lockfile, installed generation and drift";
  static override description =
    'Reads the workspace at DIR (or found from the current directory, or --workspace): where its extensions come from, ' +
    'what the lockfile pins, which generation is installed, and what `dep validate` would report. No network.';
  static override examples = [
    '<%= config.bin %> workspace info',
    '<%= config.bin %> workspace info workspace_dev',
    '<%= config.bin %> workspace info --workspace w --json',
  ];
  static override args = {
    dir: Args.string({ description: 'the workspace directory (default: found from the current directory)' }),
  };

  async run(): Promise<WorkspaceInfo> {
    const ws = await import('@provisioning/workspace');
    const settings = await this.infoSettings();
    const info = await ws.workspaceInfo(settings, { coreVersion: this.config.version });
    if (!this.isJson) {
      const types = Object.entries(info.lock?.byType ?? {}).map(
        ([type, n]) => `${n} ${type}${n === 1 ? '' : 's'}`,
      );
      const lock = info.lock
        ? `${info.lock.modules} module${info.lock.modules === 1 ? '' : 's'}${types.length ? ` (${types.join(', ')})` : ''}`
        : 'none yet (run provisioning dep resolve)';
      this.log(`workspace   ${info.root}`);
      this.log(`config      ${info.config}`);
      this.log(
        `extensions  ${info.sourceType} from ${info.storage === 'embedded' ? `the embedded storage (${settings.layoutPath})` : info.registry}/${info.namespace}`,
      );
      if (info.core) this.log(`core        ${info.core}`);
      this.log(`lockfile    ${lock}`);
      this.log(
        `installed   ${info.generation === null ? 'nothing yet' : `generation ${info.generation} (${info.generations} kept; see \`dep history\`)`}`,
      );
      this.log(
        info.drift.length === 0
          ? 'drift       none'
          : `drift       ${info.drift.length} problem${info.drift.length === 1 ? '' : 's'}:\n${info.drift.map((p) => `  - ${p.module ? `${p.module}: ` : ''}${p.message}`).join('\n')}`,
      );
    }
    return info;
  }

  /** DIR, like `workspace init` and `workspace list` take it; `--workspace` as everywhere else. */
  private async infoSettings() {
    const dir = this.args.dir;
    if (dir === undefined) return this.workspaceSettings();
    if (this.flags.workspace !== undefined) {
      throw new ProvisioningError('USAGE_INVALID', 'give the workspace as DIR or as --workspace, not both', {
        kind: 'usage',
        hint: 'provisioning workspace info DIR',
      });
    }
    const { settingsFromEffectiveConfig } = await import('@provisioning/workspace/lean');
    const root = resolve(dir);
    const config = await this.effectiveConfig({ workspace: root }).catch((error: unknown) => {
      if (!(error instanceof ProvisioningError) || error.code !== 'WORKSPACE_NOT_FOUND') throw error;
      throw new ProvisioningError(
        'WORKSPACE_NOT_FOUND',
        `${root} is not a workspace (no config/provisioning.yaml)`,
        {
          kind: 'input',
          hint: '`provisioning workspace list DIR` shows the workspaces under a directory',
        },
      );
    });
    return settingsFromEffectiveConfig(config);
  }
}
