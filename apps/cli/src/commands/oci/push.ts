import { Args, Flags } from '@oclif/core';
import type { PushExtensionResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { createTransferProgress } from '../../render/progress.js';
import { signKeyFlag, unlockKey } from '../../signing-flags.js';

export default class OciPush extends BaseCommand<typeof OciPush> {
  static override summary = 'Package an extension directory and push it to the registry as NAME:VERSION';
  static override description =
    'Validates and packages DIR (reproducible tar.gz), checks that NAME and VERSION match its manifest.yaml, ' +
    'and pushes config, layer and manifest to REGISTRY/<extensions namespace>/NAME:VERSION. A published version ' +
    'is immutable: the same content again is a no-op, different content is refused unless --force.';
  static override examples = [
    '<%= config.bin %> oci push ./extensions/taskservs/redis redis 1.0.0',
    '<%= config.bin %> oci push ./extensions/taskservs/redis redis 1.0.0 --registry harbor.company.com --json',
  ];
  static override args = {
    dir: Args.string({ description: 'extension directory (holds manifest.yaml)', required: true }),
    name: Args.string({ description: 'extension name (must match manifest.yaml)', required: true }),
    version: Args.string({ description: 'version to push (must match manifest.yaml)', required: true }),
  };
  static override flags = {
    'sign-key': signKeyFlag,
    force: Flags.boolean({
      summary:
        'Move an already published VERSION to new content (published versions are otherwise immutable).',
    }),
  };

  async run(): Promise<PushExtensionResult> {
    const { pushExtension } = await import('@provisioning/workspace');
    const signKey = this.flags['sign-key'] ? await unlockKey(this.flags['sign-key']) : undefined;
    const progress = createTransferProgress(`push ${this.args.name}`, { enabled: !this.isJson });
    const result = await this.withSession((session) =>
      pushExtension(session, this.args.dir, {
        name: this.args.name,
        version: this.args.version,
        force: this.flags.force,
        ...(signKey ? { signKey } : {}),
        onProgress: progress.onProgress,
      }),
    ).finally(() => progress.finish());
    if (!this.isJson) {
      this.log(
        result.outcome === 'unchanged'
          ? `${result.reference} is already published with this content; nothing pushed`
          : result.outcome === 'replaced'
            ? `pushed ${result.reference} (replaced ${result.previousDigest})`
            : `pushed ${result.reference}`,
      );
      await this.logStorage([result.reference]);
      this.log(`  digest  ${result.digest}`);
      this.log(`  layer   ${result.layerDigest}  (${result.layerSize} bytes)`);
      if (result.signature) this.log(`  signed  ${result.signature.reference}  ${result.signature.digest}`);
    }
    return result;
  }
}
