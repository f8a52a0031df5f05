import { Args } from '@oclif/core';
import { type ExtensionProblem, formatExtensionProblem, validateExtension } from '@provisioning/packager';
import { BaseCommand } from '../../../base-command.js';

export interface PackageValidateOutput {
  ok: boolean;
  dir: string;
  name: string | null;
  version: string | null;
  type: string | null;
  problems: ExtensionProblem[];
  warnings: ExtensionProblem[];
}

export default class OciPackageValidate extends BaseCommand<typeof OciPackageValidate> {
  static override summary = 'Check an extension directory against the layout contract';
  static override description =
    'Validates manifest.yaml, the required files of the extension type, kcl/kcl.mod, template syntax and ' +
    'includes, defaults.yaml and tests/*.test.yaml, and refuses links and special files. Lists every ' +
    'problem as `path: message` (paths relative to DIR); exits 1 when there is any. No network.';
  static override examples = ['<%= config.bin %> oci package validate ./extensions/taskservs/redis'];
  static override args = {
    dir: Args.string({ description: 'extension directory (holds manifest.yaml)', required: true }),
  };

  async run(): Promise<PackageValidateOutput> {
    const result = await validateExtension(this.args.dir);
    const output: PackageValidateOutput = {
      ok: result.ok,
      dir: this.args.dir,
      name: result.manifest?.name ?? null,
      version: result.manifest?.version ?? null,
      type: result.manifest?.type ?? null,
      problems: result.problems,
      warnings: result.warnings,
    };
    if (!this.isJson) {
      for (const warning of result.warnings)
        process.stderr.write(`warning: ${formatExtensionProblem(warning)}\n`);
    }
    if (result.ok) {
      if (!this.isJson) this.log(`${this.args.dir}: valid ${output.type} ${output.name} ${output.version}`);
      return output;
    }
    if (this.isJson) {
      this.logJson(output);
    } else {
      for (const problem of result.problems) this.log(formatExtensionProblem(problem));
      const count = result.problems.length === 1 ? '1 problem' : `${result.problems.length} problems`;
      process.stderr.write(`error: ${this.args.dir} is not a valid extension (${count})\n`);
    }
    this.exit(1);
  }
}
