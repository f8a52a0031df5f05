import { Args } from '@oclif/core';
import type { PublishCoreResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';

export default class CorePublish extends BaseCommand<typeof CorePublish> {
  static override summary = 'Publish the running core as an OCI artifact (REGISTRY/provisioning-core:vX.Y.Z)';
  static override description =
    'Packs this CLI (bundle, bin, package.json), the JSON Schemas, kcl/ and the workspace template into one ' +
    'deterministic artifact (docs/releasing.md, "Core"). A published version is immutable: the same content is a ' +
    'no-op, other content is refused. `latest` moves when this is the highest version.';
  static override examples = [
    '<%= config.bin %> core publish',
    '<%= config.bin %> core publish harbor.company.com/provisioning-core:v3.5.0',
  ];
  static override args = {
    ref: Args.string({
      description: 'destination, default REGISTRY/provisioning-core:vX.Y.Z (the running version)',
    }),
  };

  async run(): Promise<PublishCoreResult> {
    const { publishCore } = await import('@provisioning/workspace');
    const result = await this.withSession((session) =>
      publishCore(session, {
        cliRoot: this.config.root,
        ...(this.args.ref ? { reference: this.args.ref } : {}),
      }),
    );
    if (!this.isJson) {
      this.log(
        result.outcome === 'unchanged'
          ? `${result.reference} is already published with this content (${result.digest}); nothing pushed`
          : `published core ${result.version} to ${result.reference} (${result.digest}, ${result.files} files)`,
      );
      if (result.latest) this.log(`  latest -> ${result.version}`);
    }
    return result;
  }
}
