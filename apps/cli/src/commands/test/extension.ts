import { Args } from '@oclif/core';
import { type ExtensionCheck, locateExtension, testExtension } from '@provisioning/packager';
import { BaseCommand } from '../../base-command.js';

export interface TestExtensionOutput {
  ok: boolean;
  dir: string;
  passed: number;
  failed: number;
  checks: ExtensionCheck[];
}

export default class TestExtension extends BaseCommand<typeof TestExtension> {
  static override summary =
    "Run an extension's local checks: validation, template rendering and tests/*.test.yaml";
  static override description =
    'NAME is looked up as ./extensions/{providers,taskservs,clusters}/NAME; a path is used as is. Every ' +
    'template is rendered with defaults.yaml (an undefined variable fails), then every test case renders ' +
    'its template with its values merged over the defaults and checks contains / not_contains. ' +
    'Exits 1 when any check fails. No network.';
  static override examples = [
    '<%= config.bin %> test extension redis',
    '<%= config.bin %> test extension ./extensions/taskservs/redis --json',
  ];
  static override args = {
    extension: Args.string({ description: 'extension name or directory', required: true }),
  };

  async run(): Promise<TestExtensionOutput> {
    const dir = await locateExtension(this.args.extension);
    const report = await testExtension(dir);
    const failed = report.checks.filter((c) => !c.ok).length;
    const output: TestExtensionOutput = {
      ok: report.ok,
      dir,
      passed: report.checks.length - failed,
      failed,
      checks: report.checks,
    };
    if (!this.isJson) {
      for (const check of report.checks) {
        this.log(`${check.ok ? 'pass' : 'FAIL'}  ${check.name}`);
        if (check.message) for (const line of check.message.split('\n')) this.log(`      ${line}`);
      }
      this.log(`${output.passed} passed, ${failed} failed`);
    }
    if (report.ok) return output;
    if (this.isJson) this.logJson(output);
    else
      process.stderr.write(
        `error: ${failed} of ${report.checks.length} checks failed for ${this.args.extension}\n`,
      );
    this.exit(1);
  }
}
