import type { InstallHistory } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';

export default class DepHistory extends BaseCommand<typeof DepHistory> {
  static override summary = 'List the install generations kept in the workspace (newest last)';
  static override description =
    'Each `dep resolve` or `dep update` that changed the installed tree made one generation: its number, ' +
    'time, the command, and what changed against the one before. `dep rollback [GENERATION]` returns to one. ' +
    'Generations past --keep (default 5) are pruned at each install. No network.';
  static override examples = ['<%= config.bin %> dep history', '<%= config.bin %> dep history --json'];

  async run(): Promise<InstallHistory> {
    const { installHistory } = await import('@provisioning/workspace');
    const settings = await this.workspaceSettings();
    const history = await installHistory(settings.root);
    if (!this.isJson) {
      if (history.generations.length === 0) {
        this.log(`no install generations in ${settings.root} yet (run provisioning dep resolve)`);
      }
      for (const g of history.generations) {
        const changes = g.changes.length === 0 ? 'no module changes' : g.changes.join(', ');
        this.log(
          `${g.current ? '*' : ' '} ${String(g.generation).padStart(3)}  ${g.created}  ${g.command}  (${changes})`,
        );
      }
    }
    return history;
  }
}
