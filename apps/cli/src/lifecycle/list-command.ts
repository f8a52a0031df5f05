import type { ExtensionType, InstalledModule } from '@provisioning/schemas';
import { infraFlag, ModuleCommand } from './module-command.js';

export interface ModuleListOutput {
  infra: string;
  state_file: string;
  modules: (InstalledModule & { name: string })[];
}

export function listDocs(type: ExtensionType) {
  return {
    summary: `List the ${type}s installed on an infra (infra/ENV/state.yaml)`,
    description:
      `Shows each ${type} recorded in WORKSPACE/infra/ENV/state.yaml: version, manifest digest and when its ` +
      'install.nu succeeded. No network, no scripts.',
    examples: [`<%= config.bin %> ${type} list --infra test-env`],
  };
}

export abstract class ModuleList extends ModuleCommand<typeof ModuleList> {
  static override flags = { infra: infraFlag };

  async run(): Promise<ModuleListOutput> {
    const { listInfraModules } = await import('@provisioning/workspace');
    const settings = await this.workspaceSettings();
    const listed = await listInfraModules(settings, { infra: this.flags.infra, type: this.moduleType });
    if (!this.isJson) {
      if (listed.modules.length === 0) {
        this.log(`no ${this.moduleType} is installed on infra ${listed.infra} (${listed.stateFile})`);
      } else {
        const { renderTable } = await import('../render/table.js');
        this.log(
          renderTable(
            listed.modules.map((m) => ({
              name: m.name,
              version: m.version,
              digest: m.manifest_digest.slice(0, 19),
              installed: m.installed_at,
              dependencies: m.dependencies.join(', '),
            })),
          ),
        );
      }
    }
    return { infra: listed.infra, state_file: listed.stateFile, modules: listed.modules };
  }
}
