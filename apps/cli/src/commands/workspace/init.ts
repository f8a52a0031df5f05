import { relative } from 'node:path';
import { Args, Flags } from '@oclif/core';
import type { InitWorkspaceResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';

export default class WorkspaceInit extends BaseCommand<typeof WorkspaceInit> {
  static override summary = 'Create a workspace: config/provisioning.yaml in the seed format, and infra/';
  static override description =
    'Writes DIR/config/provisioning.yaml (the architecture document\'s "Workspace Configuration", with ' +
    'comments and the editor modeline), DIR/infra/ and a .gitignore for the installed tree. DIR defaults to ' +
    'the current directory and is created when missing; a non-empty DIR is refused unless --force. The core ' +
    'source pins the running core. Then add modules (`provisioning module load TYPE DIR NAME`) and run ' +
    '`provisioning dep resolve`.';
  static override examples = [
    '<%= config.bin %> workspace init workspace_dev',
    '<%= config.bin %> workspace init workspace_prod --registry harbor.company.com --from-example',
    '<%= config.bin %> workspace init . --force',
  ];
  static override args = {
    dir: Args.string({ description: 'directory of the new workspace (default: the current directory)' }),
  };
  static override flags = {
    name: Flags.string({ summary: 'Workspace name for the header comment (default: the directory name).' }),
    'from-example': Flags.boolean({ summary: "List the architecture document's example modules." }),
    force: Flags.boolean({ summary: 'Add the workspace files to a non-empty directory.' }),
  };

  async run(): Promise<InitWorkspaceResult> {
    const { initWorkspace } = await import('@provisioning/workspace');
    const result = await initWorkspace({
      dir: this.args.dir ?? '.',
      ...(this.flags.name === undefined ? {} : { name: this.flags.name }),
      ...(this.flags.registry === undefined ? {} : { registry: this.flags.registry }),
      fromExample: this.flags['from-example'],
      force: this.flags.force,
      coreVersion: this.config.version,
    });
    if (!this.isJson) {
      const shown = relative(process.cwd(), result.dir) || '.';
      this.log(`created workspace ${result.name} in ${result.dir}: ${result.created.join(', ')}`);
      this.log(
        `next: provisioning module load taskserv ${shown} redis, then provisioning dep resolve --workspace ${shown}`,
      );
    }
    return result;
  }
}
