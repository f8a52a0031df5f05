import { snakeCaseKeys } from '@provisioning/schemas';
import {
  dependencyGraph,
  describeExtension,
  dryRunOptions,
  explainVersion,
  requireWorkspace,
  resolveDryRun,
  searchCatalog,
  workspaceStatus,
} from '@provisioning/workspace';
import { z } from 'zod';
import type { CatalogContext } from '../catalog-context.js';
import type { ToolContext } from '../tool-context.js';
import { guarded } from '../tool-result.js';

const record = z.record(z.string(), z.unknown());
const namespace = z
  .string()
  .optional()
  .describe('registry namespace (default: the configured extensions namespace)');
const name = z.string().min(1).describe('extension name, e.g. kubernetes');
const version = z.string().optional().describe('a version tag (default: the newest)');
const snake = (value: unknown) => snakeCaseKeys(value, { keep: ['manifest'] }) as Record<string, unknown>;

/** The read-only tools over the catalog library (`@provisioning/workspace`, catalog/). */
export function registerCatalogTools(ctx: ToolContext, catalog: CatalogContext): void {
  const dryRun = (ns?: string) => dryRunOptions(catalog, ns);
  const readOnly = { readOnlyHint: true, openWorldHint: true };

  ctx.server.registerTool(
    'search_extensions',
    {
      description:
        'Lists the extensions of a namespace; `query` matches name or description (case-insensitive).',
      inputSchema: {
        query: z.string().optional(),
        type: z.enum(['taskserv', 'provider', 'cluster']).optional(),
        namespace,
      },
      outputSchema: {
        extensions: z.array(
          z
            .object({
              namespace: z.string(),
              name: z.string(),
              latest_version: z.string().nullable(),
              tags: z.array(z.string()),
            })
            .passthrough(),
        ),
      },
      annotations: readOnly,
    },
    (args) =>
      guarded(async () => ({
        extensions: (
          await searchCatalog(catalog.session, {
            ...(args.namespace ? { namespace: args.namespace } : {}),
            ...(args.query ? { text: args.query } : {}),
            ...(args.type ? { type: args.type } : {}),
          })
        ).map(snake),
      })),
  );

  ctx.server.registerTool(
    'list_versions',
    {
      description: 'The published versions of one extension, newest first.',
      inputSchema: { name, namespace },
      outputSchema: { name: z.string(), namespace: z.string(), versions: z.array(z.string()) },
      annotations: readOnly,
    },
    (args) =>
      guarded(async () => {
        const d = await describeExtension(
          catalog.session,
          args.name,
          args.namespace ? { namespace: args.namespace } : {},
        );
        return { name: d.name, namespace: d.namespace, versions: d.versions };
      }),
  );

  ctx.server.registerTool(
    'inspect_extension',
    {
      description: 'One extension version: manifest, README, dependencies, digest and signature status.',
      inputSchema: { name, version, namespace },
      outputSchema: z
        .object({
          namespace: z.string(),
          name: z.string(),
          type: z.string().nullable(),
          version: z.string(),
          versions: z.array(z.string()),
          description: z.string().nullable(),
          digest: z.string(),
          reference: z.string(),
          manifest: record,
          readme: z.string().nullable(),
          dependencies: z.array(
            z.object({ name: z.string(), constraint: z.string(), optional: z.boolean() }),
          ),
          signature: z.object({ status: z.string(), signatures: z.array(record) }),
        })
        .passthrough(),
      annotations: readOnly,
    },
    (args) =>
      guarded(async () =>
        snake(
          await describeExtension(catalog.session, args.name, {
            ...(args.namespace ? { namespace: args.namespace } : {}),
            ...(args.version ? { version: args.version } : {}),
          }),
        ),
      ),
  );

  ctx.server.registerTool(
    'show_dependency_tree',
    {
      description: 'The resolved dependency graph of one extension version (nodes and constrained edges).',
      inputSchema: { name, version, namespace },
      outputSchema: { root: z.string(), nodes: z.array(record), edges: z.array(record) },
      annotations: readOnly,
    },
    (args) =>
      guarded(async () => snake(await dependencyGraph(args.name, args.version, dryRun(args.namespace)))),
  );

  ctx.server.registerTool(
    'resolve_dry_run',
    {
      description:
        'Solves a module list (e.g. ["taskservs/kubernetes@^1.28", "etcd:3.5.10", "redis"]) without writing anything: the plan, or the conflict explained.',
      inputSchema: { modules: z.array(z.string().min(1)).min(1).max(200), namespace },
      outputSchema: {
        ok: z.boolean(),
        modules: z.array(record).optional(),
        edges: z.array(record).optional(),
        code: z.string().optional(),
        explanation: z.string().optional(),
        lines: z.array(z.string()).optional(),
      },
      annotations: readOnly,
    },
    (args) => guarded(async () => snake(await resolveDryRun(args.modules, dryRun(args.namespace)))),
  );

  ctx.server.registerTool(
    'explain_version',
    {
      description: 'Why the workspace has this version of a module (the `dep why` paths).',
      inputSchema: { module: z.string().min(1).describe('module name in the workspace') },
      outputSchema: {
        module: z.string(),
        version: z.string(),
        explanation: z.string(),
        lines: z.array(z.string()),
      },
      annotations: { readOnlyHint: true },
    },
    (args) => guarded(async () => snake(await explainVersion(requireWorkspace(catalog), args.module))),
  );

  ctx.server.registerTool(
    'workspace_status',
    {
      description: 'The workspace: modules and whether installed, lockfile, generations, drift and history.',
      inputSchema: {},
      outputSchema: z
        .object({
          name: z.string(),
          root: z.string(),
          config_file: z.string(),
          modules: z.array(record),
          lock: record.nullable(),
          generation: record,
          drift: z.array(
            z.object({ module: z.string(), kind: z.string(), detail: z.string() }).passthrough(),
          ),
          history: z.array(record),
          signatures: z.array(record),
        })
        .passthrough(),
      annotations: { readOnlyHint: true },
    },
    () =>
      guarded(async () =>
        snake(await workspaceStatus(requireWorkspace(catalog), { coreVersion: catalog.coreVersion })),
      ),
  );
}
