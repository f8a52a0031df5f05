import { Args } from '@oclif/core';
import type { InstallCoreResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';

export default class CoreInstall extends BaseCommand<typeof CoreInstall> {
  static override summary = 'Install a published core into $PROVISIONING_HOME/core/VERSION';
  static override description =
    'Digest-verified, streamed and renamed into place; signature-checked when dependencies.extensions.verify asks.';
  static override examples = [
    '<%= config.bin %> core install 3.5.0',
    '<%= config.bin %> core install oci://harbor.company.com/provisioning-core:v3.5.0',
  ];
  static override args = {
    version: Args.string({
      description: 'VERSION (from REGISTRY/provisioning-core) or a full reference',
      required: true,
    }),
  };

  async run(): Promise<InstallCoreResult> {
    const { installCore } = await import('@provisioning/workspace');
    const result = await this.withSession((session) => installCore(session, this.args.version));
    if (!this.isJson) {
      this.log(
        result.outcome === 'present'
          ? `core ${result.version} is already installed in ${result.dir}`
          : `installed core ${result.version} (${result.digest}) into ${result.dir}`,
      );
    }
    return result;
  }
}
