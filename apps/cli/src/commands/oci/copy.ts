import { Args, Flags } from '@oclif/core';
import type { CopyArtifactResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { failIfAny, jobsFlag } from '../../bulk.js';
import { createTransferProgress } from '../../render/progress.js';

export default class OciCopy extends BaseCommand<typeof OciCopy> {
  static override summary = 'Copy artifacts between registries and OCI image layouts';
  static override description =
    'Copies the manifest SRC names and everything it references (blobs streamed, cross-repository mount within ' +
    'one registry) to DST. Either side may be a registry reference or oci-layout:PATH[:TAG]. Manifest bytes are ' +
    'copied unchanged, so the digest stays the same. Without a DST tag the source tag is used.\n\n' +
    'With several sources (like `cp A B DIR/`), DST is a namespace (REGISTRY/NAMESPACE, or NAMESPACE on the ' +
    'configured registry) or a directory (oci-layout:DIR, one layout per artifact under it): each source keeps ' +
    'its name and tag. They are copied --jobs at a time in one process; every failure is reported at the end.';
  static override examples = [
    '<%= config.bin %> oci copy localhost:5000/provisioning-extensions/kubernetes:1.28.0 harbor.company.com/provisioning-extensions/kubernetes:1.28.0',
    '<%= config.bin %> oci copy redis:1.0.0 oci-layout:./airgap',
    '<%= config.bin %> oci copy oci-layout:./airgap:1.0.0 mirror.internal:5000/provisioning-extensions/redis',
    '<%= config.bin %> oci copy redis:1.0.0 kubernetes:1.28.0 containerd:1.7.0 oci-layout:./airgap',
    '<%= config.bin %> oci copy oci-layout:./airgap/redis:1.0.0 oci-layout:./airgap/kubernetes:1.28.0 mirror.internal:5000/provisioning-extensions',
  ];
  // SRC... DST: the parser takes any number of positional arguments; `run` splits them.
  static override strict = false;
  // oclif would print `SOURCE... DESTINATION...` for a non-strict command: there is one destination
  static override usage = 'oci copy SOURCE... DESTINATION [flags]';
  static override args = {
    source: Args.string({
      description: 'REGISTRY/NS/NAME:TAG, NAME:VERSION or oci-layout:PATH:TAG (one or more)',
      required: true,
    }),
    destination: Args.string({
      description:
        'REGISTRY/NS/NAME[:TAG] or oci-layout:PATH[:TAG]; with several sources REGISTRY/NS or oci-layout:DIR',
      required: true,
    }),
  };
  static override flags = {
    referrers: Flags.boolean({ summary: 'Also copy referrers (signatures, SBOMs) of the artifact.' }),
    signatures: Flags.boolean({
      summary:
        'Copy cosign signatures (sha256-<hex>.sig and signature referrers) along; --no-signatures skips them.',
      default: true,
      allowNo: true,
    }),
    jobs: jobsFlag('Artifacts copied'),
  };

  async run(): Promise<CopyArtifactResult | CopyArtifactResult[]> {
    const { copyArtifact, copyArtifacts } = await import('@provisioning/workspace');
    const sources = this.positional.slice(0, -1);
    const destination = this.positional.at(-1) as string;
    const many = sources.length > 1;
    const progress = createTransferProgress(many ? `copy ${sources.length} artifacts` : 'copy', {
      enabled: !this.isJson,
    });
    const options = {
      referrers: this.flags.referrers,
      signatures: this.flags.signatures,
      onProgress: progress.onProgress,
    };
    if (!many) {
      const result = await this.withSession((session) =>
        copyArtifact(session, sources[0] as string, destination, options),
      ).finally(() => progress.finish());
      if (!this.isJson) {
        this.log(`copied ${result.source} → ${result.destination}`);
        await this.logStorage([result.source, result.destination]);
        this.log(`  digest  ${result.digest}`);
        if (result.signatureDigest) this.log(`  signatures  ${result.signatureDigest}`);
      }
      return result;
    }
    const { copied, failed } = await this.withSession((session) =>
      copyArtifacts(session, sources, destination, { ...options, concurrency: this.flags.jobs }),
    ).finally(() => progress.finish());
    if (!this.isJson) {
      for (const result of copied)
        this.log(`copied ${result.source} → ${result.destination}  ${result.digest}`);
      await this.logStorage(copied.flatMap((r) => [r.source, r.destination]));
    }
    await failIfAny(
      failed.map((f) => ({ item: f.source, error: f.error })),
      {
        total: sources.length,
        code: 'COPY_INCOMPLETE',
        verb: 'copies',
        done: 'copied',
        hint: 'run the same command again to retry (copied artifacts are skipped)',
        ...(this.isJson ? {} : { log: (line: string) => this.logToStderr(line) }),
      },
    );
    return copied;
  }
}
