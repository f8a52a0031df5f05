import { Args, Flags } from '@oclif/core';
import type { PublishExtensionResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { failIfAny, jobsFlag } from '../../bulk.js';
import { createTransferProgress } from '../../render/progress.js';
import { signKeyFlag, unlockKey } from '../../signing-flags.js';

export default class OciPublish extends BaseCommand<typeof OciPublish> {
  static override summary = 'Push extensions/*/NAME at the version its manifest declares';
  static override description =
    'Finds NAME under extensions/{providers,taskservs,clusters}/ of the current directory (or --dir) and ' +
    'pushes it like `oci push DIR NAME VERSION` with the version from its manifest.yaml. Several names, or ' +
    '--all for every extension there, are pushed --jobs at a time in one process; every failure is reported ' +
    'at the end.';
  static override examples = [
    '<%= config.bin %> oci publish redis',
    '<%= config.bin %> oci publish kubernetes --dir ../provisioning-extensions',
    '<%= config.bin %> oci publish kubernetes containerd etcd',
    '<%= config.bin %> oci publish --all --dir ../provisioning-extensions',
  ];
  // NAME...: the parser takes any number of positional arguments.
  static override strict = false;
  static override args = {
    name: Args.string({ description: 'extension name (or its directory); several allowed' }),
  };
  static override flags = {
    'sign-key': signKeyFlag,
    dir: Flags.string({ summary: 'Directory holding extensions/ (default: current directory).' }),
    all: Flags.boolean({ summary: 'Publish every extension under extensions/.' }),
    jobs: jobsFlag('Extensions pushed'),
    force: Flags.boolean({ summary: 'Move already published versions to new content (otherwise refused).' }),
  };

  async run(): Promise<PublishExtensionResult | PublishExtensionResult[]> {
    const { ProvisioningError } = await import('@provisioning/schemas');
    const names = this.positional;
    if ((this.flags.all ?? false) === names.length > 0) {
      throw new ProvisioningError(
        'PUBLISH_WHAT',
        this.flags.all ? 'give extension names or --all, not both' : 'name the extensions to publish',
        { kind: 'usage', hint: 'oci publish NAME [NAME...], or oci publish --all' },
      );
    }
    return names.length === 1
      ? this.publishOne(names[0] as string)
      : this.publishMany(this.flags.all ? 'all' : names);
  }

  private async publishOne(name: string): Promise<PublishExtensionResult> {
    const { publishExtension } = await import('@provisioning/workspace');
    const signKey = this.flags['sign-key'] ? await unlockKey(this.flags['sign-key']) : undefined;
    const progress = createTransferProgress(`publish ${name}`, { enabled: !this.isJson });
    const result = await this.withSession((session) =>
      publishExtension(session, name, {
        ...(this.flags.dir ? { dir: this.flags.dir } : {}),
        force: this.flags.force,
        ...(signKey ? { signKey } : {}),
        onProgress: progress.onProgress,
      }),
    ).finally(() => progress.finish());
    if (!this.isJson) {
      this.log(
        result.outcome === 'unchanged'
          ? `${result.reference} is already published with this content; nothing pushed`
          : `published ${result.reference}${result.outcome === 'replaced' ? ` (replaced ${result.previousDigest})` : ''}`,
      );
      await this.logStorage([result.reference]);
      this.log(`  from    ${result.directory}`);
      this.log(`  digest  ${result.digest}`);
      if (result.signature) this.log(`  signed  ${result.signature.reference}  ${result.signature.digest}`);
    }
    return result;
  }

  private async publishMany(names: string[] | 'all'): Promise<PublishExtensionResult[]> {
    const { publishExtensions } = await import('@provisioning/workspace');
    const signKey = this.flags['sign-key'] ? await unlockKey(this.flags['sign-key']) : undefined;
    const progress = createTransferProgress('publish', { enabled: !this.isJson });
    const { published, failed } = await this.withSession((session) =>
      publishExtensions(session, names, {
        concurrency: this.flags.jobs,
        force: this.flags.force,
        ...(signKey ? { signKey } : {}),
        ...(this.flags.dir ? { dir: this.flags.dir } : {}),
        onProgress: progress.onProgress,
      }),
    ).finally(() => progress.finish());
    if (!this.isJson) {
      for (const result of published)
        this.log(
          `${result.outcome === 'unchanged' ? 'unchanged' : 'published'} ${result.reference}  ${result.digest}`,
        );
      await this.logStorage(published.map((r) => r.reference));
    }
    await failIfAny(
      failed.map((f) => ({ item: f.name, error: f.error })),
      {
        total: published.length + failed.length,
        code: 'PUBLISH_INCOMPLETE',
        verb: 'publishes',
        done: 'pushed',
        hint: 'publish the failed ones again once fixed',
        ...(this.isJson ? {} : { log: (line: string) => this.logToStderr(line) }),
      },
    );
    return published;
  }
}
