import { z } from 'zod';
import { lockfileSchema } from './lockfile.js';
import { extensionManifestSchema } from './manifest.js';
import { workspaceConfigSchema } from './workspace-config.js';

/**
 * JSON Schema (draft-07, the draft yaml-language-server supports completely) for editors:
 * `# yaml-language-server: $schema=…/workspace-config.schema.json`. Refinements (references, semver
 * ranges) are not expressible there; editors get types, enums, patterns and unknown-key errors.
 */
/**
 * Where the published schema files live; each file's `$id` and the `yaml-language-server` modeline
 * that `generate extension` and `workspace init` write point here (docs/extension-guide.md, "Editor
 * set-up"). Offline, `provisioning schema print` writes the same file for a local modeline.
 */
export const JSON_SCHEMA_BASE_URL =
  'https://raw.githubusercontent.com/provisioning-oci/provisioning/main/packages/schemas/schema/';

/** The schema files, by the short name `provisioning schema print` takes. */
export const JSON_SCHEMA_FILES = {
  manifest: 'extension-manifest.schema.json',
  workspace: 'workspace-config.schema.json',
  lock: 'lockfile.schema.json',
} as const;

export type JsonSchemaName = keyof typeof JSON_SCHEMA_FILES;

/** The modeline line for a YAML file of the given kind: `# yaml-language-server: $schema=<url>`. */
export function yamlSchemaModeline(name: JsonSchemaName): string {
  return `# yaml-language-server: $schema=${JSON_SCHEMA_BASE_URL}${JSON_SCHEMA_FILES[name]}`;
}

export function toEditorJsonSchema(schema: z.ZodType, title: string, id?: string): Record<string, unknown> {
  // `io: 'input'` describes what a user writes (before defaults are applied).
  const { $schema, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
  });
  return { $schema, ...(id === undefined ? {} : { $id: id }), title, ...rest };
}

/** The files shipped in `schema/`, name → content (deterministic, newline-terminated). */
export function jsonSchemaFiles(): Record<string, string> {
  const files: Record<string, [z.ZodType, string]> = {
    [JSON_SCHEMA_FILES.manifest]: [extensionManifestSchema, 'provisioning extension manifest'],
    [JSON_SCHEMA_FILES.workspace]: [workspaceConfigSchema, 'provisioning workspace configuration'],
    [JSON_SCHEMA_FILES.lock]: [lockfileSchema, 'provisioning lockfile'],
  };
  return Object.fromEntries(
    Object.entries(files).map(([name, [schema, title]]) => [
      name,
      `${JSON.stringify(toEditorJsonSchema(schema, title, `${JSON_SCHEMA_BASE_URL}${name}`), null, 2)}\n`,
    ]),
  );
}
