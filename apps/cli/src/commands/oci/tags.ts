import { Args } from '@oclif/core';
import type { TagRow } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { renderTable } from '../../render/table.js';

export interface OciTagsOutput {
  tags: TagRow[];
}

export default class OciTags extends BaseCommand<typeof OciTags> {
  static override summary = 'Show the versions of an extension';
  static override description =
    'Lists the tags of NAME: semver versions highest first, then any other tags (latest, …) alphabetically.';
  static override examples = ['<%= config.bin %> oci tags redis', '<%= config.bin %> oci tags redis --json'];
  static override args = {
    name: Args.string({ description: 'extension NAME or REGISTRY/NS/NAME', required: true }),
  };

  async run(): Promise<OciTagsOutput> {
    const { listTags, withOciSession } = await import('@provisioning/workspace');
    const config = await this.effectiveConfig();
    const tags = await withOciSession(config, {}, (session) => listTags(session, this.args.name));
    if (!this.isJson) {
      this.log(
        tags.length === 0
          ? `no tags in ${this.args.name}`
          : renderTable(
              tags.map((t) => ({ ...t })),
              ['artifact', 'version', 'reference'],
            ),
      );
      // a short NAME is on the configured registry
      const name = this.args.name.includes('/')
        ? this.args.name
        : `${config.registry.value}/${this.args.name}`;
      await this.logStorage(tags.length > 0 ? tags.map((t) => t.reference) : [name]);
    }
    return { tags };
  }
}
