import { Args } from '@oclif/core';
import type { DependencyEdge } from '@provisioning/resolver';
import { BaseCommand } from '../../base-command.js';

export interface DepWhyOutput {
  workspace: string;
  name: string;
  version: string;
  /** Every path from the workspace to NAME: each step is {name, range asked, version chosen}. */
  paths: DependencyEdge[][];
  truncated: boolean;
}

export default class DepWhy extends BaseCommand<typeof DepWhy> {
  static override summary = 'Explain why a module is installed: every path from the workspace to it';
  static override examples = ['<%= config.bin %> dep why etcd', '<%= config.bin %> dep why runc --json'];
  static override args = { name: Args.string({ required: true, description: 'module name' }) };

  async run(): Promise<DepWhyOutput> {
    const { workspaceGraph } = await import('@provisioning/workspace');
    const { why } = await import('@provisioning/resolver');
    const settings = await this.workspaceSettings();
    const { graph } = await workspaceGraph(settings);
    const result = why(graph, this.args.name);
    if (!this.isJson) {
      this.log(`${result.name} ${result.version} is installed because:`);
      for (const path of result.paths) {
        const steps = path.map(
          (edge) => `${edge.name} ${edge.version}${edge.range !== edge.version ? ` (${edge.range})` : ''}`,
        );
        this.log(`  ${[graph.rootName, ...steps].join(' → ')}`);
      }
      if (result.truncated) this.log('  … more paths not shown');
    }
    return { workspace: settings.root, ...result };
  }
}
