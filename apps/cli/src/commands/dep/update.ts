import { Args, Flags } from '@oclif/core';
import type { PlanEntry } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { type DepResolveOutput, renderResolve } from '../../render/resolve-plan.js';

export interface DepUpdateOutput extends DepResolveOutput {
  name: string;
  from?: string;
  to: string;
  /** The module is listed in the config: its pinned tag there was rewritten. */
  config_updated: boolean;
}

export default class DepUpdate extends BaseCommand<typeof DepUpdate> {
  static override summary = 'Update one module (to the newest allowed version, or --to VERSION)';
  static override description =
    'Re-resolves with NAME unlocked while every other module keeps its locked version when possible. ' +
    'For a module listed in config/provisioning.yaml the new version becomes its pinned tag there ' +
    '(comments are kept); a dependency only changes in the lockfile.';
  static override examples = [
    '<%= config.bin %> dep update kubernetes',
    '<%= config.bin %> dep update etcd --to 3.5.9',
  ];
  static override args = { name: Args.string({ required: true, description: 'module to update' }) };
  static override flags = {
    to: Flags.string({ summary: 'Target version (or semver range).' }),
    offline: Flags.boolean({ summary: 'Use only the local cache.' }),
    keep: Flags.integer({
      summary:
        'Install generations to keep for `dep rollback` (the current one and its predecessor always stay).',
      default: 5,
      min: 1,
    }),
  };

  async run(): Promise<DepUpdateOutput> {
    const { lockfilePath, readLockfile, resolveWorkspace, withSolveExplanation } = await import(
      '@provisioning/workspace'
    );
    const settings = await this.workspaceSettings();
    const previous = (await readLockfile(settings.root))?.modules[this.args.name]?.version;
    const result = await withSolveExplanation(
      resolveWorkspace({
        settings,
        coreVersion: this.config.version,
        offline: this.flags.offline,
        keep: this.flags.keep,
        update: { name: this.args.name, ...(this.flags.to ? { to: this.flags.to } : {}) },
      }),
    );
    const to = result.lockfile.modules[this.args.name]?.version ?? '';
    const output: DepUpdateOutput = {
      workspace: settings.root,
      lockfile: lockfilePath(settings.root),
      installed: result.installed,
      frozen: false,
      offline: this.flags.offline,
      modules: result.plan as PlanEntry[],
      repaired: Boolean(result.recovery?.repairedLockfile),
      ...(result.generation === undefined ? {} : { generation: result.generation }),
      name: this.args.name,
      ...(previous ? { from: previous } : {}),
      to,
      config_updated: Boolean(result.configChange),
    };
    if (!this.isJson) {
      this.log(
        previous === to
          ? `${this.args.name} stays at ${to} (no newer version fits)`
          : `${this.args.name}: ${previous ?? '(new)'} → ${to}${output.config_updated ? ' (pin updated in config/provisioning.yaml)' : ''}`,
      );
      this.log(renderResolve(output));
    }
    return output;
  }
}
