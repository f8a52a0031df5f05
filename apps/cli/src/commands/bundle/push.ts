import { Args, Flags } from '@oclif/core';
import type { PushBundleResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { failIfAny, jobsFlag } from '../../bulk.js';
import { createTransferProgress } from '../../render/progress.js';

export type BundlePushOutput = Omit<PushBundleResult, 'failed'>;

export default class BundlePush extends BaseCommand<typeof BundlePush> {
  static override summary = "Load a bundle into the air-gapped site's registry";
  static override description =
    'Pushes every artifact of a bundle to REGISTRY at its original repository path and tag (with ' +
    '--namespace-map OLD=NEW, repository paths starting with OLD start with NEW instead). Signatures go after ' +
    'what they sign; a tag already at the same digest is skipped, so pushing again uploads nothing. Every failure ' +
    'is reported at the end. See docs/air-gap.md.';
  static override examples = [
    '<%= config.bin %> bundle push site.tar registry.site.internal:5000',
    '<%= config.bin %> bundle push site.tar registry.site.internal:5000 --namespace-map provisioning-extensions=infra/extensions',
  ];
  static override args = {
    file: Args.string({
      description: 'bundle archive (FILE.tar, or FILE.tar.000 of a split one)',
      required: true,
    }),
    registry: Args.string({
      description: 'registry host[:port] (https:// or http:// to choose)',
      required: true,
    }),
  };
  static override flags = {
    'namespace-map': Flags.string({
      summary: 'OLD=NEW: push repositories under namespace OLD under NEW instead (repeatable).',
      multiple: true,
    }),
    jobs: jobsFlag('Artifacts pushed'),
  };

  async run(): Promise<BundlePushOutput> {
    const { pushBundle } = await import('@provisioning/workspace');
    const { resolve } = await import('node:path');
    const progress = createTransferProgress('bundle push', { enabled: !this.isJson });
    const result = await this.withSession((session) =>
      pushBundle(session, resolve(this.args.file), this.args.registry, {
        namespaceMap: this.flags['namespace-map'] ?? [],
        concurrency: this.flags.jobs,
        onProgress: progress.onProgress,
      }),
    ).finally(() => progress.finish());
    if (!this.isJson) {
      for (const p of result.pushed) this.log(`pushed ${p.source} → ${p.destination}  ${p.digest}`);
      this.log(`${result.pushed.length} pushed, ${result.upToDate} already there: ${result.registry}`);
    }
    await failIfAny(
      result.failed.map((f) => ({ item: f.source, error: f.error })),
      {
        total: result.pushed.length + result.upToDate + result.failed.length,
        code: 'COPY_INCOMPLETE',
        verb: 'bundle pushes',
        done: 'pushed',
        hint: 'run the same command again to retry (what is there is skipped)',
        ...(this.isJson ? {} : { log: (line: string) => this.logToStderr(line) }),
      },
    );
    const { failed: _failed, ...output } = result;
    return output;
  }
}
