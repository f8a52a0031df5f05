/** The dependency graph of one extension version as nodes and edges: a dry-run resolve with it as the only root. */
import { ProvisioningError } from '@provisioning/schemas';
import { type DryRunOptions, resolveDryRun } from './resolve-dry-run.js';

export interface GraphNodeOut {
  id: string;
  name: string;
  version: string;
  type: string;
}

export interface ExtensionGraph {
  root: string;
  nodes: GraphNodeOut[];
  edges: { from: string; to: string; constraint: string }[];
}

export async function dependencyGraph(
  name: string,
  version: string | undefined,
  options: DryRunOptions,
): Promise<ExtensionGraph> {
  const result = await resolveDryRun([version ? `${name}@${version}` : name], options);
  if (!result.ok) {
    throw new ProvisioningError('RESOLUTION_FAILED', `version solving failed:\n${result.explanation}`, {
      kind: 'input',
    });
  }
  const self = result.modules.find((m) => m.name === name)!;
  return {
    root: `${self.name}@${self.version}`,
    nodes: result.modules.map((m) => ({
      id: `${m.name}@${m.version}`,
      name: m.name,
      version: m.version,
      type: m.type,
    })),
    edges: result.edges,
  };
}
