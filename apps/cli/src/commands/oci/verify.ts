import { Args, Flags } from '@oclif/core';
import type { VerifyArtifactResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { identityFlag } from '../../signing-flags.js';

export default class OciVerify extends BaseCommand<typeof OciVerify> {
  static override summary = 'Check that an artifact carries a valid cosign signature by a given key';
  static override description =
    'Exit 0 when a signature at sha256-<hex>.sig of the digest REF resolves to verifies with one of the keys, ' +
    'signs that digest and names the same NAMESPACE/NAME (the registry host is not compared, so mirrors and ' +
    "air-gapped copies verify); prints the signer's annotations. Exit 1 with the reason otherwise: no signature, " +
    'wrong key, payload for another digest, identity for another repository, malformed payload.';
  static override examples = [
    '<%= config.bin %> oci verify redis:1.0.0 --key team.pub',
    '<%= config.bin %> oci verify oci-layout:./airgap/redis:1.0.0 --key team.pub --identity provisioning-extensions/redis --json',
  ];
  static override args = {
    reference: Args.string({
      description: 'NAME:VERSION, REGISTRY/NS/NAME:TAG, …@sha256:… or oci-layout:PATH:TAG',
      required: true,
    }),
  };
  static override flags = {
    key: Flags.string({
      summary: 'cosign public key file (PREFIX.pub); repeat to accept any of several.',
      required: true,
      multiple: true,
    }),
    identity: identityFlag,
  };

  async run(): Promise<VerifyArtifactResult> {
    const { loadPublicKeys, verifyArtifact, withOciSession } = await import('@provisioning/workspace');
    const keys = await loadPublicKeys(this.flags.key);
    const result = await withOciSession(await this.effectiveConfig(), {}, (session) =>
      verifyArtifact(session, this.args.reference, {
        keys,
        ...(this.flags.identity ? { identity: this.flags.identity } : {}),
      }),
    );
    if (!this.isJson) {
      this.log(`verified ${result.reference}`);
      this.log(`  digest     ${result.digest}`);
      this.log(`  signed by  ${result.keyFile}`);
      this.log(`  identity   ${result.dockerReference}`);
      this.log(`  signature  ${result.signatureDigest}`);
      for (const [key, value] of Object.entries(result.annotations)) this.log(`  ${key} = ${value}`);
      await this.logStorage([result.reference]);
    }
    return result;
  }
}
