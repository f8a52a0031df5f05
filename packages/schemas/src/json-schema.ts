import { z } from 'zod';
import { lockfileSchema } from './lockfile.js';
import { extensionManifestSchema } from './manifest.js';
import { workspaceConfigSchema } from './workspace-config.js';

/**
 * JSON Schema (draft-07, the draft yaml-language-server supports completely) for editors:
 * `# yaml-language-server: $schema=…/workspace-config.schema.json`. Refinements (references, semver
 * ranges) are not expressible there; editors get types, enums, patterns and unknown-key errors.
 */
export function toEditorJsonSchema(schema: z.ZodType, title: string): Record<string, unknown> {
  // `io: 'input'` describes what a user writes (before defaults are applied).
  const { $schema, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
  });
  return { $schema, title, ...rest };
}

/** The files shipped in `schema/`, name → content (deterministic, newline-terminated). */
export function jsonSchemaFiles(): Record<string, string> {
  const files: Record<string, [z.ZodType, string]> = {
    'extension-manifest.schema.json': [extensionManifestSchema, 'provisioning extension manifest'],
    'workspace-config.schema.json': [workspaceConfigSchema, 'provisioning workspace configuration'],
    'lockfile.schema.json': [lockfileSchema, 'provisioning lockfile'],
  };
  return Object.fromEntries(
    Object.entries(files).map(([name, [schema, title]]) => [
      name,
      `${JSON.stringify(toEditorJsonSchema(schema, title), null, 2)}\n`,
    ]),
  );
}
