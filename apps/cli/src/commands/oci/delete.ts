import { createInterface } from 'node:readline/promises';
import { Args, Flags } from '@oclif/core';
import { ProvisioningError } from '@provisioning/schemas';
import type { DeleteResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';

export default class OciDelete extends BaseCommand<typeof OciDelete> {
  static override summary = 'Delete an extension version (a manifest) from the registry';
  static override description =
    'Deletes the manifest REF names (tag or digest). Asks for confirmation on a terminal; pass --yes in scripts. ' +
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
  };

  async run(): Promise<DeleteResult> {
    if (!this.flags.yes) await this.confirm(this.args.reference);
    const { deleteArtifact, withOciSession } = await import('@provisioning/workspace');
    const result = await withOciSession(await this.effectiveConfig(), {}, (session) =>
      deleteArtifact(session, this.args.reference),
    );
    if (!this.isJson) {
      this.log(`deleted ${result.reference} (${result.digest})`);
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
      throw new ProvisioningError('DELETE_CANCELLED', `not deleting ${reference}`, {
        kind: 'usage',
        hint: 'answer y to delete, or pass --yes',
      });
    }
  }
}
