import { Args } from '@oclif/core';
import type { PublishedCore } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { renderTable } from '../../render/table.js';

export default class CoreList extends BaseCommand<typeof CoreList> {
  static override summary = 'List the published cores (versions, digests, which is latest)';
  static override examples = ['<%= config.bin %> core list', '<%= config.bin %> core list --json'];
  static override args = {
    repository: Args.string({ description: 'core repository, default REGISTRY/provisioning-core' }),
  };

  async run(): Promise<{ cores: PublishedCore[] }> {
    const { listCores } = await import('@provisioning/workspace');
    const cores = await this.withSession((session) => listCores(session, this.args.repository));
    if (!this.isJson) {
      this.log(
        cores.length === 0
          ? 'no published cores'
          : renderTable(
              cores.map((c) => ({ ...c, latest: c.latest ? 'latest' : '' })),
              ['version', 'digest', 'latest', 'reference'],
            ),
      );
    }
    return { cores };
  }
}
