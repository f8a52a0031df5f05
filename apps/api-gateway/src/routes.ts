/**
 * The REST routes of the contract (docs/platform.md, "API gateway"): each parses its input with the
 * schemas of request-schemas.ts, calls one catalog function of @provisioning/workspace and answers
 * snake_case JSON. The table also feeds the OpenAPI document.
 */

import {
  type CatalogContext,
  dependencyGraph,
  describeExtension,
  dryRunOptions,
  explainVersion,
  listNamespaces,
  requireWorkspace,
  resolveDryRun,
  searchCatalog,
  workspaceStatus,
  workspaceTrustedKeys,
} from '@provisioning/workspace';
import type { z } from 'zod';
import { invalidRequest } from './api-error.js';
import {
  emptyQuery,
  extensionQuery,
  extensionsQuery,
  nameSchema,
  namespaceSchema,
  resolveBody,
  versionQuery,
  whyQuery,
} from './request-schemas.js';

/** The catalog context the server opened: session, workspace settings (if any), core version. */
export type RouteContext = CatalogContext;

export interface RouteInput {
  query: Record<string, string>;
  /** `{namespace...}/{name}` of the catch-all extension routes. */
  path?: string;
  body?: unknown;
}

export interface RouteSpec {
  method: 'get' | 'post';
  /** Hono path; `openapiPath` when the OpenAPI form differs (catch-all routes). */
  path: string;
  openapiPath?: string;
  summary: string;
  query: z.ZodObject;
  body?: z.ZodType;
  handle: (ctx: RouteContext, input: RouteInput) => Promise<unknown>;
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: 'query' | 'body'): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidRequest(where, result.error);
  return result.data;
}

/** `a/b/name` → namespace `a/b`, name `name`; a lone `name` keeps the default namespace. */
function splitPath(path: string): { namespace?: string; name: string } {
  const segments = path.split('/').filter(Boolean);
  const name = parse(nameSchema, segments.pop() ?? '', 'query');
  if (segments.length === 0) return { name };
  return { namespace: parse(namespaceSchema, segments.join('/'), 'query'), name };
}

async function describe(ctx: RouteContext, where: { namespace?: string; name: string }, version?: string) {
  // `verified` needs the workspace's trust policy keys; without a policy the status stays signed/unsigned
  const keys = await workspaceTrustedKeys(ctx.settings);
  return describeExtension(ctx.session, where.name, {
    ...(where.namespace ? { namespace: where.namespace } : {}),
    ...(keys.length > 0 ? { keys } : {}),
    ...(version ? { version } : {}),
  });
}

async function tree(ctx: RouteContext, where: { namespace?: string; name: string }, version?: string) {
  return dependencyGraph(where.name, version, dryRunOptions(ctx, where.namespace));
}

export const ROUTES: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/v1/namespaces',
    summary: 'Namespaces of the registry and how many extensions each holds',
    query: emptyQuery,
    handle: async (ctx, input) => {
      parse(emptyQuery, input.query, 'query');
      return { namespaces: await listNamespaces(ctx.session) };
    },
  },
  {
    method: 'get',
    path: '/api/v1/extensions',
    summary: 'Extensions of a namespace, filtered by text and type',
    query: extensionsQuery,
    handle: async (ctx, input) => {
      const q = parse(extensionsQuery, input.query, 'query');
      const extensions = await searchCatalog(ctx.session, {
        ...(q.namespace ? { namespace: q.namespace } : {}),
        ...(q.q ? { text: q.q } : {}),
        ...(q.type ? { type: q.type } : {}),
      });
      return { extensions };
    },
  },
  {
    method: 'get',
    path: '/api/v1/extension',
    summary: 'One extension version: manifest, versions, dependencies, signature status',
    query: extensionQuery,
    handle: async (ctx, input) => {
      const q = parse(extensionQuery, input.query, 'query');
      return describe(ctx, q, q.version);
    },
  },
  {
    method: 'get',
    path: '/api/v1/tree',
    summary: 'Dependency graph (nodes and edges) of one extension version',
    query: extensionQuery,
    handle: async (ctx, input) => {
      const q = parse(extensionQuery, input.query, 'query');
      return tree(ctx, q, q.version);
    },
  },
  {
    method: 'get',
    path: '/api/v1/extensions/*',
    openapiPath: '/api/v1/extensions/{path}',
    summary: 'One extension by path NAMESPACE.../NAME (…/tree: its dependency graph)',
    query: versionQuery,
    handle: async (ctx, input) => {
      const q = parse(versionQuery, input.query, 'query');
      const path = input.path ?? '';
      if (path === 'tree' || path.endsWith('/tree')) {
        const inner = path.slice(0, -'tree'.length).replace(/\/$/, '');
        // `…/tree` is the graph unless the extension itself is named tree (then `…/tree/tree`)
        if (inner !== '') return tree(ctx, splitPath(inner), q.version);
      }
      return describe(ctx, splitPath(path), q.version);
    },
  },
  {
    method: 'post',
    path: '/api/v1/resolve',
    summary: 'Dry-run resolve of a module list: the plan, or the PubGrub explanation',
    query: emptyQuery,
    body: resolveBody,
    handle: async (ctx, input) => {
      const body = parse(resolveBody, input.body, 'body');
      return resolveDryRun(body.modules, dryRunOptions(ctx, body.namespace));
    },
  },
  {
    method: 'get',
    path: '/api/v1/workspace',
    summary: 'The workspace: modules, lockfile, generations, drift, history, signatures',
    query: emptyQuery,
    handle: async (ctx, input) => {
      parse(emptyQuery, input.query, 'query');
      return workspaceStatus(requireWorkspace(ctx), { coreVersion: ctx.coreVersion });
    },
  },
  {
    method: 'get',
    path: '/api/v1/why',
    summary: 'Why a module has its version: every path from the workspace to it',
    query: whyQuery,
    handle: async (ctx, input) => {
      const q = parse(whyQuery, input.query, 'query');
      return explainVersion(requireWorkspace(ctx), q.module);
    },
  },
];
