/** Why a module has the version it has (the `dep why` logic): every path from the workspace to it, as text lines. */
import { why } from '@provisioning/resolver';
import { workspaceGraph } from '../resolve/installed-graph.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';

export interface VersionExplanation {
  module: string;
  version: string;
  explanation: string;
  lines: string[];
}

export async function explainVersion(settings: WorkspaceSettings, name: string): Promise<VersionExplanation> {
  const { graph } = await workspaceGraph(settings);
  const result = why(graph, name);
  const lines = [`${result.name} ${result.version} is installed because:`];
  for (const path of result.paths) {
    const steps = path.map(
      (edge) => `${edge.name} ${edge.version}${edge.range !== edge.version ? ` (${edge.range})` : ''}`,
    );
    lines.push(`  ${[graph.rootName, ...steps].join(' → ')}`);
  }
  if (result.truncated) lines.push('  … more paths not shown');
  return { module: result.name, version: result.version, explanation: lines.join('\n'), lines };
}
