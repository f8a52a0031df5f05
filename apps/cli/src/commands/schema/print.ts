import { dirname, resolve } from 'node:path';
import { makeDirectory, writeFileAtomic } from '@provisioning/schemas';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';

const NAMES = ['manifest', 'workspace', 'lock'] as const;

export interface SchemaPrintOutput {
  name: (typeof NAMES)[number];
  id: string;
  /** The file written, with `--output`. */
  path?: string;
}

export default class SchemaPrint extends BaseCommand<typeof SchemaPrint> {
  static override summary = 'Print the JSON Schema of manifest.yaml, provisioning.yaml or provisioning.lock';
  static override description =
    'Editors validate and complete the YAML files with these schemas (yaml-language-server, VS Code, Neovim). ' +
    'Without --output the schema goes to stdout; with it, to FILE, for a modeline that works offline: ' +
    '`# yaml-language-server: $schema=FILE`.';
  static override examples = [
    '<%= config.bin %> schema print manifest',
    '<%= config.bin %> schema print workspace --output .schemas/workspace-config.schema.json',
  ];
  static override args = {
    name: Args.string({ description: 'which schema', options: [...NAMES], required: true }),
  };
  static override flags = {
    output: Flags.string({ char: 'o', description: 'write the schema to FILE instead of stdout' }),
  };

  async run(): Promise<SchemaPrintOutput> {
    const { JSON_SCHEMA_BASE_URL, JSON_SCHEMA_FILES, jsonSchemaFiles } = await import('@provisioning/schemas');
    const name = this.args.name as SchemaPrintOutput['name'];
    const file = JSON_SCHEMA_FILES[name];
    const text = jsonSchemaFiles()[file] as string;
    const id = `${JSON_SCHEMA_BASE_URL}${file}`;
    if (this.flags.output === undefined) {
      if (!this.isJson) process.stdout.write(text);
      return { name, id };
    }
    const path = resolve(this.flags.output);
    await makeDirectory(dirname(path));
    await writeFileAtomic(path, text);
    if (!this.isJson) this.log(`wrote the ${name} schema to ${path}`);
    return { name, id, path };
  }
}
