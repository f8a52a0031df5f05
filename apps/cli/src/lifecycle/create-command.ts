import { Args, Flags } from '@oclif/core';
import type { ExtensionType } from '@provisioning/schemas';
import type { CreateModuleResult, PlanEntry, RenderedTemplate, ScriptRun } from '@provisioning/workspace';
import { plural } from '../render/plural.js';
import { infraFlag, ModuleCommand, scriptTimeoutFlag } from './module-command.js';

export interface ModuleCreateOutput {
  check: boolean;
  type: ExtensionType;
  name: string;
  version: string;
  reference: string;
  infra: string;
  settings_file: string;
  state_file: string;
  rendered: RenderedTemplate[];
  /** The workspace's install plan with the module in it (dependencies first). */
  plan: PlanEntry[];
  /** install.nu of each module, dependencies first, with its output. */
  runs: ScriptRun[];
  skipped: { module: string; reason: string }[];
}

export function createDocs(type: ExtensionType) {
  return {
    summary: `Install a ${type} on an infra: render its templates and run scripts/install.nu (--check: dry run)`,
    description:
      `Resolves the ${type} with its dependencies (the workspace's modules plus NAME), renders each module's ` +
      `templates with defaults.yaml deep-merged with ${type}s.NAME (taskservs./clusters./providers. for the others) of ` +
      "WORKSPACE/infra/ENV/settings.yaml, then runs each module's scripts/install.nu with nu, dependencies first, " +
      'passing --settings FILE --rendered DIR. Output is prefixed with the module name. A dependency recorded ' +
      'in infra/ENV/state.yaml at the same digest is not run again. Each successful install is recorded there; ' +
      'a failing script stops the run. --check prints the rendered files and the plan, and runs install.nu ' +
      '--check (the scripts only print what they would do); nothing is written.',
    examples: [
      `<%= config.bin %> ${type} create ${exampleName(type)} --infra test-env --check`,
      `<%= config.bin %> ${type} create ${exampleName(type)} --infra test-env --timeout 20m`,
    ],
  };
}

export function exampleName(type: ExtensionType): string {
  return type === 'taskserv' ? 'redis' : type === 'cluster' ? 'buildkit' : 'aws';
}

export abstract class ModuleCreate extends ModuleCommand<typeof ModuleCreate> {
  static override args = { name: Args.string({ required: true, description: 'module name' }) };
  static override flags = {
    infra: infraFlag,
    check: Flags.boolean({ summary: 'Dry run: render, plan and run install.nu --check; change nothing.' }),
    timeout: scriptTimeoutFlag,
    offline: Flags.boolean({ summary: 'Use only the local cache.' }),
  };

  async run(): Promise<ModuleCreateOutput> {
    const { createModule, withSolveExplanation } = await import('@provisioning/workspace');
    const settings = await this.workspaceSettings();
    const check = this.flags.check;
    const type = this.moduleType;
    const options = await this.scriptOptions(this.flags);
    const result = await withSolveExplanation(
      createModule(settings, {
        ...options,
        check,
        name: this.args.name,
        coreVersion: this.config.version,
        onResolved: (resolved) => {
          if (!this.isJson) this.logPreview(resolved, check);
        },
      }),
    );
    const output: ModuleCreateOutput = {
      check,
      type,
      name: result.name,
      version: result.version,
      reference: result.reference,
      infra: result.infra,
      settings_file: result.settingsFile,
      state_file: result.stateFile,
      rendered: result.rendered,
      plan: result.plan,
      runs: result.runs,
      skipped: result.skipped,
    };
    if (!this.isJson) {
      if (check) {
        this.log(
          `\n${type} ${result.name} ${result.version}: install.nu --check ran for ${plural(result.runs.length, 'module')}; nothing was changed`,
        );
      } else {
        this.log(
          `\ninstalled ${type} ${result.name} ${result.version} on infra ${result.infra} (${result.reference})`,
        );
        this.log(`recorded in ${result.stateFile}`);
      }
    }
    return output;
  }

  /** What will run, before it runs: in check mode the rendered files and the plan too. */
  private logPreview(resolved: CreateModuleResult, check: boolean): void {
    const { type, name, version, infra } = resolved;
    if (!check) {
      this.log(`${type} ${name} ${version} for infra ${infra}: install.nu of ${resolved.order.join(', ')}`);
      return;
    }
    this.log(`${type} ${name} ${version} for infra ${infra} (dry run, nothing written)`);
    this.log(`settings: ${resolved.settingsFile} (${type}s.${name}) over defaults.yaml`);
    for (const file of resolved.rendered) {
      this.log(`\n--- templates/${file.template}`);
      this.log(file.output.replace(/\n$/, ''));
    }
    this.log('\ninstall plan (dependencies first):');
    resolved.plan.forEach((entry, i) => {
      const what = entry.action === 'keep' ? 'already installed' : entry.action;
      this.log(`  ${i + 1}. ${entry.type} ${entry.name} ${entry.version} — ${what}`);
    });
    this.log(`\ninstall.nu --check of ${resolved.order.join(', ')} (dependencies first):`);
  }
}
