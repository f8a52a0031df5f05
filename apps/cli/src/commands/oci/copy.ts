import { Args, Flags } from '@oclif/core';
import type { CopyArtifactResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { createTransferProgress } from '../../render/progress.js';

export default class OciCopy extends BaseCommand<typeof OciCopy> {
  static override summary = 'Copy an artifact between registries and OCI image layouts';
  static override description =
    'Copies the manifest SRC names and everything it references (blobs streamed, cross-repository mount within ' +
    'one registry) to DST. Either side may be a registry reference or oci-layout:PATH[:TAG]. Manifest bytes are ' +
    'copied unchanged, so the digest stays the same. Without a DST tag the source tag is used.';
  static override examples = [
    '<%= config.bin %> oci copy localhost:5000/provisioning-extensions/kubernetes:1.28.0 harbor.company.com/provisioning-extensions/kubernetes:1.28.0',
    '<%= config.bin %> oci copy redis:1.0.0 oci-layout:./airgap',
    '<%= config.bin %> oci copy oci-layout:./airgap:1.0.0 mirror.internal:5000/provisioning-extensions/redis',
  ];
  static override args = {
    source: Args.string({
      description: 'REGISTRY/NS/NAME:TAG, NAME:VERSION or oci-layout:PATH:TAG',
      required: true,
    }),
    destination: Args.string({
      description: 'REGISTRY/NS/NAME[:TAG] or oci-layout:PATH[:TAG]',
      required: true,
    }),
  };
  static override flags = {
    referrers: Flags.boolean({ summary: 'Also copy referrers (signatures, SBOMs) of the artifact.' }),
  };

  async run(): Promise<CopyArtifactResult> {
    const { copyArtifact, withOciSession } = await import('@provisioning/workspace');
    const progress = createTransferProgress('copy', { enabled: !this.isJson });
    const result = await withOciSession(await this.effectiveConfig(), {}, (session) =>
      copyArtifact(session, this.args.source, this.args.destination, {
        referrers: this.flags.referrers,
        onProgress: progress.onProgress,
      }),
    ).finally(() => progress.finish());
    if (!this.isJson) {
      this.log(`copied ${result.source} → ${result.destination}`);
      this.log(`  digest  ${result.digest}`);
    }
    return result;
  }
}
