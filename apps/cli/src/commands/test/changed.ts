import { Flags } from '@oclif/core';
import type { ExtensionCheck } from '@provisioning/packager';
import { BaseCommand } from '../../base-command.js';

export interface TestChangedOutput {
  since: string;
  extensions: {
    extension: string;
    directory: string;
    ok: boolean;
    passed: number;
    failed: number;
    checks: ExtensionCheck[];
  }[];
}

export default class TestChanged extends BaseCommand<typeof TestChanged> {
  static override summary = 'Run `test extension` for every extension changed since a git revision';
  static override description =
    'What a pull request job runs (docs/releasing.md, "CI"): every {providers,taskservs,clusters}/NAME/ of the ' +
    'repository with a file changed between the merge base of --since and HEAD gets the checks of `test ' +
    'extension`. Exits 1 when any extension fails; no changed extension is not a failure. No network.';
  static override examples = [
    '<%= config.bin %> test changed --since origin/main',
    '<%= config.bin %> test changed --since HEAD~3 --repo ../provisioning-extensions --json',
  ];
  static override flags = {
    since: Flags.string({
      summary: 'Git revision the changes are counted from (its merge base with HEAD).',
      required: true,
    }),
    repo: Flags.string({ summary: 'Work tree of the extensions repository (default: current directory).' }),
  };

  async run(): Promise<TestChangedOutput> {
    const { testExtension } = await import('@provisioning/packager');
    const { changedExtensions } = await import('@provisioning/workspace');
    const { ProvisioningError } = await import('@provisioning/schemas');
    const changed = await changedExtensions(this.flags.since, this.flags.repo);
    const extensions: TestChangedOutput['extensions'] = [];
    for (const { subdir, directory } of changed) {
      const report = await testExtension(directory);
      const failed = report.checks.filter((c) => !c.ok);
      extensions.push({
        extension: subdir,
        directory,
        ok: report.ok,
        passed: report.checks.length - failed.length,
        failed: failed.length,
        checks: report.checks,
      });
      if (!this.isJson) {
        this.log(
          `${report.ok ? 'pass' : 'FAIL'}  ${subdir}  (${report.checks.length - failed.length} passed, ${failed.length} failed)`,
        );
        for (const check of failed) {
          this.log(`      ${check.name}`);
          if (check.message) for (const line of check.message.split('\n')) this.log(`        ${line}`);
        }
      }
    }
    if (!this.isJson && changed.length === 0) this.log(`no extension changed since ${this.flags.since}`);
    const failing = extensions.filter((e) => !e.ok);
    if (failing.length > 0) {
      throw new ProvisioningError(
        'EXTENSION_TESTS_FAILED',
        `${failing.length} of ${extensions.length} changed extensions failed their checks: ${failing.map((e) => e.extension).join(', ')}`,
        {
          kind: 'input',
          hint: 'run `provisioning test extension DIR` for each, fix it and push again',
          details: {
            extensions: failing.map((e) => ({
              extension: e.extension,
              failed: e.checks.filter((c) => !c.ok).map((c) => c.name),
            })),
          },
        },
      );
    }
    return { since: this.flags.since, extensions };
  }
}
