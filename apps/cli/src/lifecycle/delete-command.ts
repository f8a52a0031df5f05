import { Args, Flags } from '@oclif/core';
import type { ExtensionType } from '@provisioning/schemas';
import type { ScriptRun } from '@provisioning/workspace';
import { exampleName } from './create-command.js';
import { infraFlag, ModuleCommand, scriptTimeoutFlag } from './module-command.js';

export interface ModuleDeleteOutput {
  check: boolean;
  type: ExtensionType;
  name: string;
  infra: string;
  state_file: string;
  /** uninstall.nu of each module, dependents first. */
  runs: ScriptRun[];
}

export function deleteDocs(type: ExtensionType) {
  return {
    summary: `Uninstall a ${type} from an infra: run scripts/uninstall.nu, dependents first`,
    description:
      `Runs the ${type}'s scripts/uninstall.nu (from the version recorded in WORKSPACE/infra/ENV/state.yaml) ` +
      'with --settings FILE, and removes its record. Refused while an installed module depends on it, unless ' +
      '--cascade: then the dependents are uninstalled first. A failing script stops the run. --check runs ' +
      'uninstall.nu --check and writes nothing.',
    examples: [
      `<%= config.bin %> ${type} delete ${exampleName(type)} --infra test-env`,
      `<%= config.bin %> ${type} delete ${exampleName(type)} --infra test-env --cascade --check`,
    ],
  };
}

export abstract class ModuleDelete extends ModuleCommand<typeof ModuleDelete> {
  static override args = { name: Args.string({ required: true, description: 'module name' }) };
  static override flags = {
    infra: infraFlag,
    cascade: Flags.boolean({ summary: 'Also uninstall the installed modules that depend on it (first).' }),
    check: Flags.boolean({ summary: 'Dry run: run uninstall.nu --check; change nothing.' }),
    timeout: scriptTimeoutFlag,
    offline: Flags.boolean({ summary: 'Use only the local cache.' }),
  };

  async run(): Promise<ModuleDeleteOutput> {
    const { deleteModule } = await import('@provisioning/workspace');
    const settings = await this.workspaceSettings();
    const result = await deleteModule(settings, {
      ...(await this.scriptOptions(this.flags)),
      check: this.flags.check,
      cascade: this.flags.cascade,
      name: this.args.name,
    });
    const output: ModuleDeleteOutput = {
      check: result.check,
      type: result.type,
      name: this.args.name,
      infra: result.infra,
      state_file: result.stateFile,
      runs: result.runs,
    };
    if (!this.isJson) {
      const modules = result.runs.map((r) => r.module).join(', ');
      this.log(
        result.check
          ? `\nuninstall.nu --check ran for ${modules}; nothing was changed`
          : `\nuninstalled ${modules} from infra ${result.infra}\nrecorded in ${result.stateFile}`,
      );
    }
    return output;
  }
}
