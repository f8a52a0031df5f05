/**
 * What installing a list of modules would choose, without installing anything: the workspace's
 * resolver run as a dry run (no lock, no extraction, nothing written) with the given modules as its
 * roots instead of the config's. An unsatisfiable request is an answer, not an error: it comes back
 * with the solver's PubGrub explanation.
 */
import { isProvisioningError, parseReference } from '@provisioning/schemas';
import type { RootModule } from '../config/root-modules.js';
import type { ExtensionType } from '../install/layout-paths.js';
import { inspectArtifact } from '../oci/inspect-artifact.js';
import type { OciSession } from '../oci/oci-session.js';
import type { RegistryClients } from '../repository/open-repository.js';
import { resolveWorkspace } from '../resolve/resolve-workspace.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';
import { parseModuleRequest } from './module-request.js';

export interface ResolvedModule {
  name: string;
  version: string;
  type: string;
  digest: string;
  reference: string;
}

export interface ResolvedEdge {
  /** `name@version` of the dependent. */
  from: string;
  to: string;
  constraint: string;
}

export type DryRunResult =
  | { ok: true; modules: ResolvedModule[]; edges: ResolvedEdge[] }
  | { ok: false; code: 'RESOLUTION_FAILED'; explanation: string; lines: string[] };

export interface DryRunOptions {
  settings: WorkspaceSettings;
  /** Running core version (the CLI's), a solver input. */
  coreVersion: string;
  /** Namespace the names live in (default the settings' extensions namespace). */
  namespace?: string;
  /** Finds the type of modules written without a type group (`redis`). */
  session: OciSession;
  clients?: RegistryClients;
}

export async function resolveDryRun(modules: string[], options: DryRunOptions): Promise<DryRunResult> {
  const namespace = options.namespace ?? options.settings.extensionsNamespace;
  const requests = modules.map(parseModuleRequest);
  const roots: RootModule[] = await Promise.all(
    requests.map(async (request) => ({
      name: request.name,
      type:
        request.type ??
        (await typeOf(options.session, `${options.settings.registry}/${namespace}/${request.name}`)),
      written: request.written,
      reference: parseReference(request.name, { registry: options.settings.registry, namespace }),
      range: request.range,
    })),
  );
  const settings = { ...options.settings, extensionsNamespace: namespace };
  try {
    const result = await resolveWorkspace({
      settings,
      coreVersion: options.coreVersion,
      dryRun: true,
      roots,
      ...(options.clients ? { clients: options.clients } : {}),
    });
    const modulesOut = [...result.artifacts.values()]
      .map((a) => ({
        name: a.name,
        version: a.version,
        type: a.type,
        digest: a.manifestDigest,
        reference: a.reference,
      }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const edges: ResolvedEdge[] = [];
    for (const node of result.graph.nodes.values())
      for (const dep of node.dependencies)
        edges.push({ from: node.id, to: `${dep.name}@${dep.version}`, constraint: dep.range });
    return { ok: true, modules: modulesOut, edges };
  } catch (error) {
    if (isProvisioningError(error) && error.code === 'RESOLUTION_FAILED') {
      const explanation = String((error as { explanation?: unknown }).explanation ?? error.message);
      return { ok: false, code: 'RESOLUTION_FAILED', explanation, lines: explanation.split('\n') };
    }
    throw error;
  }
}

/** The type an extension's newest version declares (defaults to taskserv for untyped artifacts). */
async function typeOf(session: OciSession, repository: string): Promise<ExtensionType> {
  const inspected = await inspectArtifact(session, repository);
  const type = inspected.extension?.type;
  return type === 'provider' || type === 'cluster' ? type : 'taskserv';
}
