import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { EXTENSION_TYPES, scaffoldExtension } from '@provisioning/packager';
import { BaseCommand } from '../../base-command.js';

export interface GenerateExtensionOutput {
  type: string;
  name: string;
  version: string;
  dir: string;
}

export default class GenerateExtension extends BaseCommand<typeof GenerateExtension> {
  static override summary = 'Create a new extension from the built-in template';
  static override description =
    'Writes the full layout (manifest.yaml, kcl/, scripts/, templates/, defaults.yaml, docs/, tests/) with ' +
    'small working content that passes `oci package validate` and `test extension` as generated. ' +
    'Default directory: ./extensions/<type>s/<name>.';
  static override examples = [
    '<%= config.bin %> generate extension taskserv redis',
    '<%= config.bin %> generate extension provider hetzner --dir ./my-providers/hetzner',
  ];
  static override args = {
    type: Args.string({ description: 'extension type', required: true, options: [...EXTENSION_TYPES] }),
    name: Args.string({ description: 'extension name (lowercase, e.g. kube-proxy)', required: true }),
  };
  static override flags = {
    dir: Flags.string({
      summary: 'Target directory (default: ./extensions/<type>s/<name>); must be absent or empty.',
    }),
    version: Flags.string({ summary: 'First version of the extension (semver).', default: '1.0.0' }),
  };

  async run(): Promise<GenerateExtensionOutput> {
    const { type, name } = this.args;
    const target = this.flags.dir ?? path.join('extensions', `${type}s`, name);
    const dir = await scaffoldExtension(type, name, target, { version: this.flags.version });
    if (!this.isJson) {
      const shown = path.relative(process.cwd(), dir) || '.';
      this.log(`Created ${type} ${name} in ${shown}`);
      this.log('Next:');
      this.log(`  ${this.config.bin} test extension ${shown}`);
      this.log(`  ${this.config.bin} oci package validate ${shown}`);
    }
    return { type, name, version: this.flags.version, dir };
  }
}
