import { ProvisioningError } from '@provisioning/schemas';
import type { ValidationProblem } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { plural } from '../../render/plural.js';

export interface DepValidateOutput {
  workspace: string;
  ok: boolean;
  modules: number;
  problems: ValidationProblem[];
}

export default class DepValidate extends BaseCommand<typeof DepValidate> {
  static override summary = 'Check config, dependency graph, lockfile and installed files agree';
  static override description =
    'Without network: the config parses and its core pin fits this CLI; the lockfile matches the config; the ' +
    'locked graph has no cycle and every locked version satisfies the range asking for it; every installed file ' +
    'matches the sha256 list of its oci-manifest.json (modified, missing and extra files are named); with a verify ' +
    'policy, each locked signature still verifies with the configured keys (read from the cache). Exit 1 when ' +
    'anything is wrong.';
  static override examples = ['<%= config.bin %> dep validate', '<%= config.bin %> dep validate --json'];

  async run(): Promise<DepValidateOutput> {
    const { validateWorkspace } = await import('@provisioning/workspace');
    const settings = await this.workspaceSettings();
    const result = await validateWorkspace(settings, { coreVersion: this.config.version });
    if (!result.ok) {
      const lines = result.problems.map((p) => `${p.area}: ${p.message}`);
      throw new ProvisioningError(
        'WORKSPACE_INVALID',
        `workspace ${settings.root} has ${plural(lines.length, 'problem')}:\n${lines.map((l) => `  ${l}`).join('\n')}`,
        {
          kind: 'input',
          hint: 'run `provisioning dep resolve` (or `--frozen` to restore exactly the lockfile)',
          details: { problems: result.problems },
        },
      );
    }
    if (!this.isJson)
      this.log(
        `ok: ${plural(result.modules, 'module')}; config, lockfile, graph and installed files agree${settings.config.dependencies.extensions?.verify ? '; signatures verify' : ''}`,
      );
    return { workspace: settings.root, ok: true, modules: result.modules, problems: [] };
  }
}
