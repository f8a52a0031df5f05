import { Args, Flags } from '@oclif/core';
import type { TreeNode as GraphTreeNode } from '@provisioning/resolver';
import { BaseCommand } from '../../base-command.js';
import { renderTree, type TreeNode } from '../../render/tree.js';

export interface DepTreeOutput {
  workspace: string;
  tree: GraphTreeNode;
}

export default class DepTree extends BaseCommand<typeof DepTree> {
  static override summary = 'Show the resolved dependency tree (of the workspace or one module)';
  static override description =
    'Read from the lockfile and the installed modules, no network. Each line shows the version and, in ' +
    'parentheses, the range its parent asked for; (*) marks a module shown earlier, (cycle) a dependency cycle.';
  static override examples = [
    '<%= config.bin %> dep tree',
    '<%= config.bin %> dep tree kubernetes',
    '<%= config.bin %> dep tree etcd --invert',
    '<%= config.bin %> dep tree --depth 1 --json',
  ];
  static override args = { name: Args.string({ required: false, description: 'start at this module' }) };
  static override flags = {
    depth: Flags.integer({ summary: 'Levels to show below the top.', min: 0 }),
    invert: Flags.boolean({ summary: 'Show what depends on NAME instead of what it depends on.' }),
  };

  async run(): Promise<DepTreeOutput> {
    const { workspaceGraph } = await import('@provisioning/workspace');
    const { tree } = await import('@provisioning/resolver');
    const { ProvisioningError } = await import('@provisioning/schemas');
    if (this.flags.invert && !this.args.name) {
      throw new ProvisioningError('USAGE_INVALID', '--invert needs a module NAME', {
        kind: 'usage',
        hint: 'e.g. provisioning dep tree etcd --invert',
      });
    }
    const settings = await this.workspaceSettings();
    const { graph } = await workspaceGraph(settings);
    const result = tree(graph, {
      ...(this.args.name ? { root: this.args.name } : {}),
      ...(this.flags.depth !== undefined ? { depth: this.flags.depth } : {}),
      ...(this.flags.invert ? { invert: true } : {}),
    });
    if (!this.isJson) this.log(renderTree(toRenderNode(result)));
    return { workspace: settings.root, tree: result };
  }
}

function toRenderNode(node: GraphTreeNode): TreeNode {
  let label = node.version ? `${node.name} ${node.version}` : node.name;
  if (node.range && node.range !== node.version) label += ` (${node.range})`;
  if (node.deduped) label += ' (*)';
  if (node.cycle) label += ' (cycle)';
  if (node.truncated) label += ' …';
  return { label, children: node.children.map(toRenderNode) };
}
