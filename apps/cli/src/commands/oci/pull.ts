import { Args, Flags } from '@oclif/core';
import type { PullExtensionResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { failIfAny, jobsFlag } from '../../bulk.js';
import { createTransferProgress } from '../../render/progress.js';

export default class OciPull extends BaseCommand<typeof OciPull> {
  static override summary = 'Pull extensions into the cache and unpack them into directories';
  static override description =
    'Fetches NAME[:VERSION] (highest semver tag when no version is given) into the content-addressed cache, ' +
    'verifying every digest, then unpacks it safely into --output (default ./NAME, like `helm pull --untar`). ' +
    'A non-empty output directory is only replaced with --force (atomically).\n\n' +
    'With several references, --output is the parent directory (default: the current one) and each extension ' +
    'goes to OUTPUT/NAME; they are pulled --jobs at a time and every failure is reported at the end.';
  static override examples = [
    '<%= config.bin %> oci pull kubernetes:1.28.0',
    '<%= config.bin %> oci pull localhost:5000/provisioning-extensions/redis:1.0.0 --output ./vendor/redis',
    '<%= config.bin %> oci pull kubernetes:1.28.0 containerd:1.7.0 cilium:1.14.0 --output ./vendor',
  ];
  // REF...: the parser takes any number of positional arguments.
  static override strict = false;
  static override args = {
    reference: Args.string({
      description: 'NAME[:VERSION], REGISTRY/NS/NAME:TAG or …@sha256:DIGEST (one or more)',
      required: true,
    }),
  };
  static override flags = {
    output: Flags.string({
      char: 'o',
      summary: 'Directory to unpack into (default: ./NAME); with several references, their parent.',
    }),
    force: Flags.boolean({ summary: 'Replace a non-empty output directory.' }),
    jobs: jobsFlag('Extensions pulled'),
  };

  async run(): Promise<PullExtensionResult | PullExtensionResult[]> {
    const { pullExtension, pullExtensions } = await import('@provisioning/workspace');
    const references = this.positional;
    const many = references.length > 1;
    const progress = createTransferProgress(
      many ? `pull ${references.length} extensions` : `pull ${references[0]}`,
      {
        enabled: !this.isJson,
      },
    );
    const options = { force: this.flags.force, onProgress: progress.onProgress };
    if (!many) {
      const result = await this.withSession((session) =>
        pullExtension(session, references[0] as string, {
          ...options,
          ...(this.flags.output ? { output: this.flags.output } : {}),
        }),
      ).finally(() => progress.finish());
      if (!this.isJson) {
        this.log(`pulled ${result.reference}${result.downloaded ? '' : ' (from cache)'}`);
        await this.logStorage([result.reference]);
        this.log(`  digest  ${result.digest}`);
        this.log(`  into    ${result.output}  (${result.files} files)`);
      }
      return result;
    }
    const { pulled, failed } = await this.withSession((session) =>
      pullExtensions(session, references, {
        ...options,
        concurrency: this.flags.jobs,
        ...(this.flags.output ? { outputDir: this.flags.output } : {}),
      }),
    ).finally(() => progress.finish());
    if (!this.isJson) {
      for (const result of pulled) {
        this.log(`pulled ${result.reference}${result.downloaded ? '' : ' (from cache)'} → ${result.output}`);
      }
      await this.logStorage(pulled.map((r) => r.reference));
    }
    await failIfAny(
      failed.map((f) => ({ item: f.reference, error: f.error })),
      {
        total: references.length,
        code: 'PULL_INCOMPLETE',
        verb: 'pulls',
        done: 'pulled',
        hint: 'pull the failed ones again (add --force to replace their directories)',
        ...(this.isJson ? {} : { log: (line: string) => this.logToStderr(line) }),
      },
    );
    return pulled;
  }
}
