import { Args, Flags } from '@oclif/core';
import type { PlanEntry, RenderedTemplate } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';

export interface TaskservCreateOutput {
  check: true;
  name: string;
  version: string;
  reference: string;
  infra: string;
  settings_file: string;
  rendered: RenderedTemplate[];
  /** What would be installed, dependencies first. */
  plan: PlanEntry[];
}

export default class TaskservCreate extends BaseCommand<typeof TaskservCreate> {
  static override summary =
    'Plan a taskserv for an infra: render its templates and show the install order (--check)';
  static override description =
    'With --check (the only mode for now) this is a dry run: it resolves the taskserv and its dependencies, ' +
    'renders every template with defaults.yaml deep-merged with taskservs.NAME of ' +
    'WORKSPACE/infra/ENV/settings.yaml, and prints the rendered files and the install plan. Nothing is written.';
  static override examples = ['<%= config.bin %> taskserv create redis --infra test-env --check'];
  static override args = { name: Args.string({ required: true, description: 'taskserv name' }) };
  static override flags = {
    infra: Flags.string({ required: true, summary: 'Infra name: a directory under WORKSPACE/infra/.' }),
    check: Flags.boolean({ summary: 'Dry run: render and plan, change nothing.' }),
    offline: Flags.boolean({ summary: 'Use only the local cache.' }),
  };

  async run(): Promise<TaskservCreateOutput> {
    const { ProvisioningError } = await import('@provisioning/schemas');
    if (!this.flags.check) {
      throw new ProvisioningError(
        'NOT_SUPPORTED',
        'taskserv create only supports --check (a dry run) for now',
        {
          kind: 'usage',
          hint: `run: provisioning taskserv create ${this.args.name} --infra ${this.flags.infra} --check`,
        },
      );
    }
    const { previewTaskserv, withSolveExplanation } = await import('@provisioning/workspace');
    const settings = await this.workspaceSettings();
    const preview = await withSolveExplanation(
      previewTaskserv(settings, {
        name: this.args.name,
        infra: this.flags.infra,
        coreVersion: this.config.version,
        offline: this.flags.offline,
      }),
    );
    const output: TaskservCreateOutput = {
      check: true,
      name: preview.name,
      version: preview.version,
      reference: preview.reference,
      infra: preview.infra,
      settings_file: preview.settingsFile,
      rendered: preview.rendered,
      plan: preview.plan,
    };
    if (!this.isJson) {
      this.log(
        `taskserv ${preview.name} ${preview.version} for infra ${preview.infra} (dry run, nothing written)`,
      );
      this.log(`settings: ${preview.settingsFile} (taskservs.${preview.name}) over defaults.yaml`);
      for (const file of preview.rendered) {
        this.log(`\n--- templates/${file.template}`);
        this.log(file.output.replace(/\n$/, ''));
      }
      this.log('\ninstall plan (dependencies first):');
      preview.plan.forEach((entry, i) => {
        const what = entry.action === 'keep' ? 'already installed' : entry.action;
        this.log(`  ${i + 1}. ${entry.type} ${entry.name} ${entry.version} — ${what}`);
      });
    }
    return output;
  }
}
