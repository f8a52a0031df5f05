import { Flags } from '@oclif/core';
import type { CreateBundleResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { createTransferProgress, formatBytes } from '../../render/progress.js';

export default class BundleCreate extends BaseCommand<typeof BundleCreate> {
  static override summary =
    "Write everything the workspace's lockfile needs into one archive for an air-gapped site";
  static override description =
    'Writes one OCI image-layout tar archive holding every locked extension, the pinned platform images, their ' +
    'cosign signature tags and the core artifact when it is published, each named in index.json by its original ' +
    'reference (org.opencontainers.image.ref.name). The same lock gives the same archive. Content streams from ' +
    'the cache or the registry (and its mirrors), verified by digest. skopeo, umoci and oras read it ' +
    '(oci-archive:FILE). With --max-size it is split into FILE.000, FILE.001, … See docs/air-gap.md.';
  static override examples = [
    '<%= config.bin %> bundle create -o site.tar',
    '<%= config.bin %> bundle create --workspace ./infra -o site.tar --max-size 4G',
  ];
  static override flags = {
    output: Flags.string({ char: 'o', summary: 'Archive to write (FILE.tar).', required: true }),
    'max-size': Flags.string({ summary: 'Split into parts of at most this size (e.g. 700M, 4G).' }),
  };

  async run(): Promise<CreateBundleResult> {
    const { createBundle, parseByteSize } = await import('@provisioning/workspace');
    const { resolve } = await import('node:path');
    const maxSize = this.flags['max-size'];
    const maxPartSize = maxSize === undefined ? undefined : parseByteSize(maxSize, '--max-size');
    const settings = await this.workspaceSettings();
    const progress = createTransferProgress('bundle create', { enabled: !this.isJson });
    const result = await createBundle(settings, {
      output: resolve(this.flags.output),
      ...(maxPartSize === undefined ? {} : { maxPartSize }),
      ...(this.debugLine ? { debug: this.debugLine } : {}),
      onProgress: progress.onProgress,
    }).finally(() => progress.finish());
    if (!this.isJson) {
      for (const a of result.artifacts) this.log(`  ${a.kind.padEnd(14)} ${a.reference}  ${a.digest}`);
      for (const s of result.skipped) this.logToStderr(`skipped ${s.name}: ${s.reason}`);
      this.log(
        `wrote ${result.artifacts.length} artifacts (${formatBytes(result.size)}) to ${result.files.join(', ')}`,
      );
    }
    return result;
  }
}
