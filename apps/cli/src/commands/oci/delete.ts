import { createInterface } from 'node:readline/promises';
import { Args, Flags } from '@oclif/core';
import { ProvisioningError } from '@provisioning/schemas';
import type { DeleteResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';

export default class OciDelete extends BaseCommand<typeof OciDelete> {
  static override summary = 'Delete an extension version (a manifest) from the registry';
  static override description =
    'Deletes the version (tag) or manifest (digest) REF names. A tag is deleted alone: other tags on the same ' +
    'manifest stay. A registry that deletes only by digest (CNCF Distribution) would remove them too, so that is ' +
    'refused, naming them, unless --all-tags. Asks for confirmation on a terminal; pass --yes in scripts. ' +
    'Registries with deletion disabled answer with a clear error.';
  static override examples = [
    '<%= config.bin %> oci delete kubernetes:1.28.0',
    '<%= config.bin %> oci delete localhost:5000/provisioning-extensions/redis:1.0.0 --yes',
  ];
  static override args = {
    reference: Args.string({
      description: 'NAME:VERSION, REGISTRY/NS/NAME:TAG or …@sha256:DIGEST',
      required: true,
    }),
  };
  static override flags = {
    yes: Flags.boolean({ char: 'y', summary: 'Do not ask for confirmation.' }),
    'all-tags': Flags.boolean({
      summary: 'Also delete the other tags on the same manifest where the registry cannot untag one.',
    }),
  };

  async run(): Promise<DeleteResult> {
    if (!this.flags.yes) await this.confirm(this.args.reference);
    const { deleteArtifact } = await import('@provisioning/workspace');
    const result = await this.withSession((session) =>
      deleteArtifact(session, this.args.reference, { allTags: this.flags['all-tags'] }),
    );
    if (!this.isJson) {
      this.log(
        result.manifestDeleted
          ? `deleted ${result.reference} (${result.digest}${result.removedTags.length > 1 ? `; tags ${result.removedTags.join(', ')}` : ''})`
          : `deleted tag ${result.reference} (${result.digest} keeps its other tags)`,
      );
      await this.logStorage([result.reference]);
    }
    return result;
  }

  private async confirm(reference: string): Promise<void> {
    if (!process.stdin.isTTY || this.isJson) {
      throw new ProvisioningError(
        'CONFIRMATION_REQUIRED',
        `refusing to delete ${reference} without confirmation`,
        {
          kind: 'usage',
          hint: 'pass --yes to delete without asking',
        },
      );
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl
      .question(`Delete ${reference}? This cannot be undone. [y/N] `)
      .finally(() => rl.close());
    if (!/^y(es)?$/i.test(answer.trim())) {
      // Declining is an answer, not a usage mistake: exit 1, nothing changed.
      throw new ProvisioningError('DELETE_CANCELLED', `not deleting ${reference}`, {
        kind: 'input',
        hint: 'answer y to delete, or pass --yes',
      });
    }
  }
}
