import { Args, Flags } from '@oclif/core';
import type { MirrorNamespaceResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { failIfAny, jobsFlag } from '../../bulk.js';
import { plural } from '../../render/plural.js';
import { createTransferProgress } from '../../render/progress.js';

export type OciMirrorOutput = Omit<MirrorNamespaceResult, 'failed'> & {
  failed: { source: string; destination: string; code: string; message: string }[];
};

export default class OciMirror extends BaseCommand<typeof OciMirror> {
  static override summary = 'Keep a mirror registry in sync with a namespace, copying only what is missing';
  static override description =
    'Copies every repository under SRC_NAMESPACE to DST_REGISTRY (same repository paths) or DST_REGISTRY/NS ' +
    '(the source namespace replaced by NS). A tag already at the same digest on the destination is left alone, ' +
    'so running it again transfers nothing. By default the version tags and the cosign signature tags ' +
    '(sha256-<hex>.sig) of those versions are mirrored, with their referrers; --all-tags takes every tag, ' +
    '--since VERSION the versions from VERSION on. Every failure is reported at the end; the rest is done. ' +
    'See docs/sources.md, "Registry mirrors".';
  static override examples = [
    '<%= config.bin %> oci mirror harbor.company.com/provisioning-extensions mirror-a.local:5000',
    '<%= config.bin %> oci mirror harbor.company.com/provisioning-extensions mirror-a.local:5000/extensions --since 1.0.0',
    '<%= config.bin %> oci mirror provisioning-extensions mirror-a.local:5000 --all-tags --jobs 4 --json',
  ];
  static override args = {
    source: Args.string({
      description: 'REGISTRY/NAMESPACE (or NAMESPACE on the configured registry) to mirror',
      required: true,
    }),
    destination: Args.string({
      description: 'REGISTRY (same repository paths) or REGISTRY/NAMESPACE',
      required: true,
    }),
  };
  static override flags = {
    'all-tags': Flags.boolean({
      summary: 'Mirror every tag, not only versions and their signatures.',
      exclusive: ['since'],
    }),
    since: Flags.string({
      summary: 'Mirror only versions from this one on (e.g. 1.2.0).',
      exclusive: ['all-tags'],
    }),
    jobs: jobsFlag('Tags copied'),
  };

  async run(): Promise<OciMirrorOutput> {
    const { mirrorNamespace } = await import('@provisioning/workspace');
    const progress = createTransferProgress(`mirror ${this.args.source}`, { enabled: !this.isJson });
    const result = await this.withSession((session) =>
      mirrorNamespace(session, this.args.source, this.args.destination, {
        allTags: this.flags['all-tags'],
        ...(this.flags.since === undefined ? {} : { since: this.flags.since }),
        concurrency: this.flags.jobs,
        onProgress: progress.onProgress,
      }),
    ).finally(() => progress.finish());
    if (!this.isJson) {
      for (const tag of result.copied) this.log(`copied ${tag.source} → ${tag.destination}  ${tag.digest}`);
      this.log(
        `mirrored ${result.source} → ${result.destination}: ${result.repositories} ${result.repositories === 1 ? 'repository' : 'repositories'}, ` +
          `${plural(result.copied.length, 'tag')} copied, ${result.upToDate} already up to date` +
          (result.failed.length > 0 ? `, ${result.failed.length} failed` : ''),
      );
    }
    await failIfAny(
      result.failed.map((f) => ({ item: f.source, error: f.error })),
      {
        total: result.copied.length + result.upToDate + result.failed.length,
        code: 'COPY_INCOMPLETE',
        verb: 'mirror copies',
        done: 'mirrored',
        hint: 'run the same command again to retry (what is in sync is skipped)',
        ...(this.isJson ? {} : { log: (line: string) => this.logToStderr(line) }),
      },
    );
    return { ...result, failed: [] };
  }
}
