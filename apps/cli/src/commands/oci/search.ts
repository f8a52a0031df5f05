import { Args } from '@oclif/core';
import type { SearchHit } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { renderTable } from '../../render/table.js';

export interface OciSearchOutput {
  term: string;
  matches: SearchHit[];
}

export default class OciSearch extends BaseCommand<typeof OciSearch> {
  static override summary = 'Search extensions by name, description, type or tags';
  static override description =
    'Lists the extensions namespace and reads the newest metadata of each (a small config blob, a few in ' +
    'parallel); shows those whose name, description, type or tags contain TERM (case-insensitive).';
  static override examples = [
    '<%= config.bin %> oci search kubernetes',
    '<%= config.bin %> oci search cncf --json',
  ];
  static override args = {
    term: Args.string({ description: 'text to look for', required: true }),
  };

  async run(): Promise<OciSearchOutput> {
    const { searchExtensions, withOciSession } = await import('@provisioning/workspace');
    const config = await this.effectiveConfig();
    const matches = await withOciSession(config, {}, (session) => searchExtensions(session, this.args.term));
    if (!this.isJson) {
      this.log(
        matches.length === 0
          ? `no extension matches "${this.args.term}"`
          : renderTable(
              matches.map((m) => ({
                artifact: m.name,
                version: m.version ?? '',
                type: m.type ?? '',
                description: m.description ?? '',
                tags: m.keywords.join(', '),
              })),
            ),
      );
      await this.logStorage([`${config.registry.value}/`]);
    }
    return { term: this.args.term, matches };
  }
}
