import { Args, Flags } from '@oclif/core';
import type { SignArtifactResult } from '@provisioning/workspace';
import { BaseCommand } from '../../base-command.js';
import { annotationFlag, identityFlag, parseAnnotations, unlockKey } from '../../signing-flags.js';

export default class OciSign extends BaseCommand<typeof OciSign> {
  static override summary = 'Sign an artifact with a cosign key (signature stored as sha256-<hex>.sig)';
  static override description =
    'Signs the manifest digest REF resolves to (a tag is resolved first, and the output says so) in the format ' +
    'cosign reads: a simple-signing payload naming the repository and digest, signed with ECDSA P-256, stored ' +
    'in the same repository under the tag sha256-<hex>.sig next to the signatures already there. Where the ' +
    'registry has the referrers API it is attached as a referrer too. The key password comes from ' +
    'PROVISIONING_KEY_PASSWORD or a prompt, never from the command line.';
  static override examples = [
    'PROVISIONING_KEY_PASSWORD=… <%= config.bin %> oci sign redis:1.0.0 --key team.key',
    '<%= config.bin %> oci sign localhost:5000/provisioning-extensions/redis@sha256:… --key team.key --annotation ci=github',
  ];
  static override args = {
    reference: Args.string({
      description: 'NAME:VERSION, REGISTRY/NS/NAME:TAG, …@sha256:… or oci-layout:PATH:TAG',
      required: true,
    }),
  };
  static override flags = {
    key: Flags.string({ summary: 'cosign private key file (PREFIX.key).', required: true }),
    annotation: annotationFlag,
    identity: identityFlag,
  };

  async run(): Promise<SignArtifactResult> {
    const annotations = parseAnnotations(this.flags.annotation);
    const key = await unlockKey(this.flags.key);
    const { signArtifact, withOciSession } = await import('@provisioning/workspace');
    const result = await withOciSession(await this.effectiveConfig(), {}, (session) =>
      signArtifact(session, this.args.reference, {
        key,
        annotations,
        ...(this.flags.identity ? { identity: this.flags.identity } : {}),
      }),
    );
    if (!this.isJson) {
      if (result.resolvedTag)
        this.log(`${result.reference} resolves to ${result.digest}; signing that digest`);
      this.log(
        result.unchanged
          ? `${result.digest} already carries this signature; nothing written`
          : `signed ${result.digest} (${result.signatures} signature${result.signatures === 1 ? '' : 's'} now)`,
      );
      this.log(`  signature  ${result.signatureReference}  ${result.signatureDigest}`);
      if (result.referrerDigest) this.log(`  referrer   ${result.referrerDigest}`);
      this.log(`  stored in  ${result.location}`);
      await this.logStorage([result.reference]);
    }
    return result;
  }
}
