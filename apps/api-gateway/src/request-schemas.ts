/**
 * The zod schemas of every request's query and body: validation and the OpenAPI document come from
 * the same objects. Module references use the catalog's grammar (`parseModuleRequest`).
 */
import { MODULE_NAME_PATTERN, parseModuleRequest } from '@provisioning/workspace';
import { z } from 'zod';

/** Longest list a request may carry (modules of a resolve). */
export const MAX_MODULES = 200;

export const namespaceSchema = z
  .string()
  .max(255)
  .regex(
    /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/,
    'namespaces are lowercase path segments such as provisioning-extensions or team/extra',
  )
  .describe('registry namespace (repository path prefix); default: the configured extensions namespace');

export const nameSchema = z
  .string()
  .max(128)
  .regex(MODULE_NAME_PATTERN, 'names use lowercase letters, digits, "_" and "-"')
  .describe('extension name');

export const versionSchema = z
  .string()
  .max(128)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, 'a version is a tag such as 1.29.0')
  .describe('version tag; default: the newest version');

export const moduleReferenceSchema = z
  .string()
  .max(256)
  .superRefine((value, ctx) => {
    try {
      parseModuleRequest(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  })
  .describe('[TYPEs/]NAME[@RANGE] or NAME:VERSION, e.g. taskservs/kubernetes@^1.28 or etcd:3.5.10');

export const extensionsQuery = z.strictObject({
  namespace: namespaceSchema.optional(),
  q: z.string().max(200).describe('substring of name or description, case-insensitive').optional(),
  type: z.enum(['taskserv', 'provider', 'cluster']).optional(),
});

export const versionQuery = z.strictObject({ version: versionSchema.optional() });

export const extensionQuery = z.strictObject({
  namespace: namespaceSchema.optional(),
  name: nameSchema,
  version: versionSchema.optional(),
});

export const resolveBody = z.strictObject({
  modules: z.array(moduleReferenceSchema).min(1).max(MAX_MODULES),
  namespace: namespaceSchema.optional(),
});

export const whyQuery = z.strictObject({ module: nameSchema });

export const emptyQuery = z.strictObject({});
