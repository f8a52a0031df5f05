import { Args, Flags } from '@oclif/core';
import type { PullExtensionResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { createTransferProgress } from '../../render/progress.js';

export default class OciPull extends BaseCommand<typeof OciPull> {
  static override summary = 'Pull an extension into the cache and unpack it into a directory';
  static override description =
    'Fetches NAME[:VERSION] (highest semver tag when no version is given) into the content-addressed cache, ' +
    'verifying every digest, then unpacks it safely into --output (default ./NAME, like `helm pull --untar`). ' +
    'A non-empty output directory is only replaced with --force (atomically).';
  static override examples = [
    '<%= config.bin %> oci pull kubernetes:1.28.0',
    '<%= config.bin %> oci pull localhost:5000/provisioning-extensions/redis:1.0.0 --output ./vendor/redis',
  ];
  static override args = {
    reference: Args.string({
      description: 'NAME[:VERSION], REGISTRY/NS/NAME:TAG or …@sha256:DIGEST',
      required: true,
    }),
  };
  static override flags = {
    output: Flags.string({ char: 'o', summary: 'Directory to unpack into (default: ./NAME).' }),
    force: Flags.boolean({ summary: 'Replace a non-empty output directory.' }),
  };

  async run(): Promise<PullExtensionResult> {
    const { pullExtension, withOciSession } = await import('@provisioning/workspace');
    const progress = createTransferProgress(`pull ${this.args.reference}`, { enabled: !this.isJson });
    const result = await withOciSession(await this.effectiveConfig(), {}, (session) =>
      pullExtension(session, this.args.reference, {
        ...(this.flags.output ? { output: this.flags.output } : {}),
        force: this.flags.force,
        onProgress: progress.onProgress,
      }),
    ).finally(() => progress.finish());
    if (!this.isJson) {
      this.log(`pulled ${result.reference}${result.downloaded ? '' : ' (from cache)'}`);
      this.log(`  digest  ${result.digest}`);
      this.log(`  into    ${result.output}  (${result.files} files)`);
    }
    return result;
  }
}
