import { Args } from '@oclif/core';
import type { BundleContents } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { formatBytes } from '../../render/progress.js';
import { renderTable } from '../../render/table.js';

export default class BundleInspect extends BaseCommand<typeof BundleInspect> {
  static override summary = 'List what a bundle holds';
  static override description =
    'Reads the index.json of a bundle written by `bundle create` (or of any OCI image-layout tar archive) and ' +
    'lists each artifact with its original reference, kind and digest. A split bundle is read from its parts ' +
    '(give FILE or FILE.000). See docs/air-gap.md.';
  static override examples = [
    '<%= config.bin %> bundle inspect site.tar',
    '<%= config.bin %> bundle inspect site.tar --json',
  ];
  static override args = {
    file: Args.string({
      description: 'bundle archive (FILE.tar, or FILE.tar.000 of a split one)',
      required: true,
    }),
  };

  async run(): Promise<BundleContents> {
    const { inspectBundle } = await import('@provisioning/workspace');
    const { resolve } = await import('node:path');
    const contents = await inspectBundle(resolve(this.args.file));
    if (!this.isJson) {
      this.log(
        renderTable(
          contents.artifacts.map((a) => ({
            kind: a.kind,
            name: a.name,
            reference: a.reference,
            digest: a.digest,
          })),
          ['kind', 'name', 'reference', 'digest'],
        ),
      );
      const parts = contents.parts.length > 1 ? ` in ${contents.parts.length} parts` : '';
      this.log(
        `${contents.artifacts.length} artifacts, ${formatBytes(contents.size)}${parts}: ${contents.file}`,
      );
    }
    return contents;
  }
}
