import { resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { ProvisioningError } from '@provisioning/schemas';
import type { LoadModuleResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { renderTable } from '../../render/table.js';

export type ModuleLoadOutput = LoadModuleResult;

export default class ModuleLoad extends BaseCommand<typeof ModuleLoad> {
  static override summary = "Add an extension module to a workspace's config and install it";
  static override description =
    'Adds the module to dependencies.extensions.modules.<type>s of WORKSPACE/config/provisioning.yaml (comments ' +
    'and formatting kept) and resolves the workspace. --source oci (default) uses the configured registry; the ' +
    'pinned version is the newest that fits unless --version is given. --source local switches the workspace to ' +
    'the legacy monorepo layout: dependencies.extensions.source_type becomes local and local.path points at the ' +
    'extensions directory (--path, default: the nearest ./extensions above the current directory).';
  static override examples = [
    '<%= config.bin %> module load taskserv workspace_dev redis --source local',
    '<%= config.bin %> module load taskserv ./workspace kubernetes --version 1.28.0',
  ];
  static override args = {
    type: Args.string({
      required: true,
      options: ['provider', 'taskserv', 'cluster'],
      description: 'extension type',
    }),
    workspace: Args.string({
      required: true,
      description: 'workspace directory (holds config/provisioning.yaml)',
    }),
    name: Args.string({ required: true, description: 'extension name' }),
  };
  static override flags = {
    source: Flags.string({
      options: ['local', 'oci'],
      default: 'oci',
      summary: 'Where the module comes from.',
    }),
    version: Flags.string({ summary: 'Version to pin (default: the newest that fits).' }),
    path: Flags.string({ summary: 'Extensions directory for --source local.' }),
  };

  async run(): Promise<ModuleLoadOutput> {
    const ws = await import('@provisioning/workspace');
    const root = resolve(this.args.workspace);
    if (this.flags.workspace !== undefined && resolve(this.flags.workspace) !== root) {
      throw new ProvisioningError(
        'USAGE_INVALID',
        `two workspaces given: WORKSPACE ${this.args.workspace} and --workspace ${this.flags.workspace}`,
        { kind: 'usage', hint: 'name the workspace once (the WORKSPACE argument is enough)' },
      );
    }
    const output = await ws.withSolveExplanation(
      ws.loadModule({
        type: this.args.type as 'provider' | 'taskserv' | 'cluster',
        name: this.args.name,
        source: this.flags.source as 'local' | 'oci',
        workspace: root,
        coreVersion: this.config.version,
        ...(this.flags.version ? { version: this.flags.version } : {}),
        ...(this.flags.path ? { path: this.flags.path } : {}),
        loadConfig: () => this.effectiveConfig({ workspace: root }),
      }),
    );
    if (!this.isJson) {
      this.log(`loaded ${output.type} ${output.name} ${output.version} (${output.source}) into ${root}`);
      this.log(
        renderTable(
          output.modules.map((m) => ({ module: m.name, type: m.type, version: m.version, action: m.action })),
        ),
      );
    }
    return output;
  }
}
