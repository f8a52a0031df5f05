import { relative, resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';

export interface WorkspaceListOutput {
  workspaces: string[];
}

export default class WorkspaceList extends BaseCommand<typeof WorkspaceList> {
  static override summary = 'List the workspaces under a directory';
  static override description =
    'Finds directories holding config/provisioning.yaml under DIR (default: the current directory), ' +
    'skipping .git, node_modules and installed trees.';
  static override examples = [
    '<%= config.bin %> workspace list',
    '<%= config.bin %> workspace list ~/infra --depth 5',
  ];
  static override args = { dir: Args.string({ description: 'directory to search (default: .)' }) };
  static override flags = {
    depth: Flags.integer({ summary: 'How many levels down to look.', default: 3, min: 0, max: 20 }),
  };

  async run(): Promise<WorkspaceListOutput> {
    const { listWorkspaces } = await import('@provisioning/workspace');
    const dir = resolve(this.args.dir ?? '.');
    const workspaces = await listWorkspaces(dir, this.flags.depth);
    if (!this.isJson) {
      this.log(
        workspaces.length === 0
          ? `no workspaces under ${dir} (create one with provisioning workspace init DIR)`
          : workspaces.map((w) => relative(process.cwd(), w) || '.').join('\n'),
      );
    }
    return { workspaces };
  }
}
