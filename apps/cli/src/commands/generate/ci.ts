import { dirname, resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';

export interface GenerateCiOutput {
  provider: string;
  path: string;
}

export default class GenerateCi extends BaseCommand<typeof GenerateCi> {
  static override summary =
    "Write an extensions repository's CI pipeline (test on pull requests, release on tags)";
  static override description =
    'GitHub Actions (.github/workflows/extensions.yml) or GitLab CI (.gitlab-ci.yml): on a pull request, ' +
    '`provisioning test changed` checks every changed extension; on a release tag push ({type}s/{name}/v{version}), ' +
    '`provisioning oci release` publishes and signs it. Each step is a plain command of this CLI (docs/releasing.md).';
  static override examples = [
    '<%= config.bin %> generate ci --for extensions',
    '<%= config.bin %> generate ci --for extensions --provider gitlab --dir ../provisioning-extensions',
  ];
  static override flags = {
    for: Flags.string({ summary: 'What kind of repository.', options: ['extensions'], required: true }),
    provider: Flags.string({ summary: 'CI system.', options: ['github', 'gitlab'], default: 'github' }),
    dir: Flags.string({ summary: 'Repository root to write into (default: current directory).' }),
    force: Flags.boolean({ summary: 'Overwrite an existing pipeline file.' }),
  };

  async run(): Promise<GenerateCiOutput> {
    const { makeDirectory, pathExists, ProvisioningError, writeFileAtomic } = await import(
      '@provisioning/schemas'
    );
    const { ciTemplate } = await import('@provisioning/workspace');
    const template = ciTemplate(this.flags.provider as 'github' | 'gitlab', {
      cliVersion: this.config.version,
    });
    const path = resolve(this.flags.dir ?? '.', template.path);
    if (!this.flags.force && (await pathExists(path))) {
      throw new ProvisioningError('TARGET_EXISTS', `${path} already exists`, {
        kind: 'input',
        hint: 'pass --force to overwrite it, or merge the generated steps by hand',
      });
    }
    await makeDirectory(dirname(path));
    await writeFileAtomic(path, template.content);
    if (!this.isJson)
      this.log(`wrote the ${template.provider} pipeline for an extensions repository to ${path}`);
    return { provider: template.provider, path };
  }
}
