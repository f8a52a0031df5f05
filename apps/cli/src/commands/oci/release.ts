import { Args, Flags } from '@oclif/core';
import type { ReleaseResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { failIfAny } from '../../bulk.js';
import { createTransferProgress } from '../../render/progress.js';
import { signKeyFlag, unlockKey } from '../../signing-flags.js';

export default class OciRelease extends BaseCommand<typeof OciRelease> {
  static override summary = 'Publish an extension from its git release tag ({type}s/{name}/v{version})';
  static override description =
    'What an extensions repository runs on a tag push (docs/releasing.md). Checks, before anything is pushed: ' +
    'the tag exists and is the checked-out commit, {type}s/{name}/ has no uncommitted change, its manifest.yaml ' +
    'has the name, type and version of the tag, and `test extension` passes. Then publishes (the same content ' +
    'again is a no-op; other content under a published version is refused) and signs with --sign-key or ' +
    'PROVISIONING_SIGN_KEY. --all-tags-at HEAD releases every release tag at that commit.';
  static override examples = [
    '<%= config.bin %> oci release taskservs/kubernetes/v1.28.0',
    '<%= config.bin %> oci release taskservs/redis/v1.0.0 --repo ../provisioning-extensions --dry-run',
    '<%= config.bin %> oci release --all-tags-at HEAD --sign-key release.key',
  ];
  static override args = {
    tag: Args.string({ description: 'release tag, e.g. taskservs/kubernetes/v1.28.0 (the v is optional)' }),
  };
  static override flags = {
    repo: Flags.string({ summary: 'Work tree of the extensions repository (default: current directory).' }),
    'all-tags-at': Flags.string({ summary: 'Release every release tag at this commit (e.g. HEAD).' }),
    'dry-run': Flags.boolean({ summary: 'Run every check and show the plan; push nothing.' }),
    'sign-key': signKeyFlag,
  };

  async run(): Promise<ReleaseResult | ReleaseResult[]> {
    const { ProvisioningError } = await import('@provisioning/schemas');
    const { releaseExtension, releaseTagsAt } = await import('@provisioning/workspace');
    const at = this.flags['all-tags-at'];
    if ((at === undefined) === (this.args.tag === undefined)) {
      throw new ProvisioningError(
        'RELEASE_TAG_INVALID',
        at ? 'give a tag or --all-tags-at, not both' : 'name the release tag, or pass --all-tags-at HEAD',
        { kind: 'usage', hint: 'oci release taskservs/redis/v1.0.0, or oci release --all-tags-at HEAD' },
      );
    }
    const keyFile = this.flags['sign-key'] ?? process.env.PROVISIONING_SIGN_KEY;
    const signKey = keyFile && !this.flags['dry-run'] ? await unlockKey(keyFile) : undefined;
    const tags = at ? await releaseTagsAt(at, this.flags.repo) : [this.args.tag as string];
    if (at && tags.length === 0 && !this.isJson) this.log(`no release tag at ${at}; nothing to release`);
    const released: ReleaseResult[] = [];
    const failed: { item: string; error: unknown }[] = [];
    for (const tag of tags) {
      const progress = createTransferProgress(`release ${tag}`, { enabled: !this.isJson });
      try {
        const result = await this.withSession((session) =>
          releaseExtension(session, tag, {
            ...(this.flags.repo ? { repo: this.flags.repo } : {}),
            dryRun: this.flags['dry-run'],
            ...(signKey ? { signKey } : {}),
            onProgress: progress.onProgress,
          }),
        ).finally(() => progress.finish());
        released.push(result);
        if (!this.isJson) await this.render(result);
      } catch (error) {
        if (!at) throw error;
        failed.push({ item: tag, error });
      }
    }
    await failIfAny(failed, {
      total: tags.length,
      code: 'RELEASE_INCOMPLETE',
      verb: 'releases',
      done: 'released',
      hint: 'fix the failed ones and run the release again (released versions are no-ops)',
      ...(this.isJson ? {} : { log: (line: string) => this.logToStderr(line) }),
    });
    return at ? released : (released[0] as ReleaseResult);
  }

  private async render(result: ReleaseResult): Promise<void> {
    const what = `${result.type} ${result.name} ${result.version}`;
    if (result.outcome === 'planned') {
      this.log(`would release ${what} from ${result.directory} (commit ${result.commit.slice(0, 12)})`);
      this.log(`  checks  ${result.checks} passed; nothing pushed (--dry-run)`);
      this.log(
        `  changelog  ${result.changelogWritten ? `would add to ${result.directory}/CHANGELOG.md` : 'CHANGELOG.md has this version already'}`,
      );
      for (const line of result.changelog.trimEnd().split('\n')) this.log(`    ${line}`);
      return;
    }
    this.log(
      result.outcome === 'unchanged'
        ? `${result.reference} is already released with this content; nothing pushed`
        : `released ${result.reference}`,
    );
    await this.logStorage([result.reference as string]);
    this.log(`  from    ${result.directory} (tag ${result.tag}, commit ${result.commit.slice(0, 12)})`);
    this.log(`  checks  ${result.checks} passed`);
    this.log(`  digest  ${result.digest}`);
    this.log(
      `  changelog  ${result.changelogWritten ? 'section added to' : 'unchanged:'} ${result.directory}/CHANGELOG.md`,
    );
    if (result.signature) this.log(`  signed  ${result.signature.reference}  ${result.signature.digest}`);
  }
}
