import { Args, Flags } from '@oclif/core';
import type { PublishExtensionResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { createTransferProgress } from '../../render/progress.js';

export default class OciPublish extends BaseCommand<typeof OciPublish> {
  static override summary = 'Push extensions/*/NAME at the version its manifest declares';
  static override description =
    'Finds NAME under extensions/{providers,taskservs,clusters}/ of the current directory (or --dir) and ' +
    'pushes it like `oci push DIR NAME VERSION` with the version from its manifest.yaml.';
  static override examples = [
    '<%= config.bin %> oci publish redis',
    '<%= config.bin %> oci publish kubernetes --dir ../provisioning-extensions',
  ];
  static override args = {
    name: Args.string({ description: 'extension name (or its directory)', required: true }),
  };
  static override flags = {
    dir: Flags.string({ summary: 'Directory holding extensions/ (default: current directory).' }),
  };

  async run(): Promise<PublishExtensionResult> {
    const { publishExtension, withOciSession } = await import('@provisioning/workspace');
    const progress = createTransferProgress(`publish ${this.args.name}`, { enabled: !this.isJson });
    const result = await withOciSession(await this.effectiveConfig(), {}, (session) =>
      publishExtension(session, this.args.name, {
        ...(this.flags.dir ? { dir: this.flags.dir } : {}),
        onProgress: progress.onProgress,
      }),
    ).finally(() => progress.finish());
    if (!this.isJson) {
      this.log(`published ${result.reference}`);
      this.log(`  from    ${result.directory}`);
      this.log(`  digest  ${result.digest}`);
    }
    return result;
  }
}
