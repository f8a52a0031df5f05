import { Args, Flags } from '@oclif/core';
import type { ExtensionType } from '@provisioning/schemas';
import type { ScriptRun } from '@provisioning/workspace';
import { plural } from '../render/plural.js';
import { exampleName } from './create-command.js';
import { infraFlag, ModuleCommand, scriptTimeoutFlag } from './module-command.js';

export interface ModuleCheckOutput {
  type: ExtensionType;
  name: string | null;
  infra: string;
  /** check.nu of each module, dependencies first. */
  runs: ScriptRun[];
}

export function checkDocs(type: ExtensionType) {
  return {
    summary: `Check an installed ${type}: run scripts/check.nu (of its dependencies first)`,
    description:
      `Runs scripts/check.nu with --settings FILE for the ${type} and the installed modules it depends on ` +
      '(dependencies first), or, without NAME, for every installed module of the type, as recorded in ' +
      'WORKSPACE/infra/ENV/state.yaml. Exits non-zero at the first failing check. Writes nothing.',
    examples: [
      `<%= config.bin %> ${type} check ${exampleName(type)} --infra test-env`,
      `<%= config.bin %> ${type} check --infra test-env --json`,
    ],
  };
}

export abstract class ModuleCheck extends ModuleCommand<typeof ModuleCheck> {
  static override args = {
    name: Args.string({ required: false, description: 'module name (default: all installed)' }),
  };
  static override flags = {
    infra: infraFlag,
    timeout: scriptTimeoutFlag,
    offline: Flags.boolean({ summary: 'Use only the local cache.' }),
  };

  async run(): Promise<ModuleCheckOutput> {
    const { checkModules } = await import('@provisioning/workspace');
    const settings = await this.workspaceSettings();
    const result = await checkModules(settings, {
      ...(await this.scriptOptions(this.flags)),
      ...(this.args.name !== undefined ? { name: this.args.name } : {}),
    });
    if (!this.isJson) {
      const ran = result.runs.filter((r) => r.ran);
      const without = result.runs.filter((r) => !r.ran).map((r) => r.module);
      if (result.runs.length === 0) this.log(`no ${this.moduleType} is installed on infra ${result.infra}`);
      else
        this.log(
          `\n${plural(ran.length, 'check')} passed on infra ${result.infra}${without.length ? ` (no check.nu: ${without.join(', ')})` : ''}`,
        );
    }
    return { type: result.type, name: this.args.name ?? null, infra: result.infra, runs: result.runs };
  }
}
