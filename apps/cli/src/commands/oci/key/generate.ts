import { Flags } from '@oclif/core';
import { BaseCommand } from '../../../base-command.js';
import { keyPassword } from '../../../io/key-password.js';

export interface KeyGenerateOutput {
  privateKey: string;
  publicKey: string;
}

export default class OciKeyGenerate extends BaseCommand<typeof OciKeyGenerate> {
  static override summary = 'Create a cosign-compatible signing key pair (PREFIX.key, PREFIX.pub)';
  static override description =
    "Writes an ECDSA P-256 key pair in cosign's formats: PREFIX.key, the private key encrypted with the password " +
    '(ENCRYPTED SIGSTORE PRIVATE KEY: scrypt + NaCl secretbox), mode 0600, and PREFIX.pub, the public key (SPKI ' +
    'PEM) to give to verifiers. The password comes from PROVISIONING_KEY_PASSWORD or a prompt. Existing files ' +
    'are never overwritten.';
  static override examples = [
    '<%= config.bin %> oci key generate --output ~/.provisioning/keys/team',
    'PROVISIONING_KEY_PASSWORD=… <%= config.bin %> oci key generate --output ci --json',
  ];
  static override flags = {
    output: Flags.string({ summary: 'Path prefix of the two files (default: cosign).', default: 'cosign' }),
  };

  async run(): Promise<KeyGenerateOutput> {
    const { writeKeyPair } = await import('@provisioning/workspace');
    const password = await keyPassword('create', `${this.flags.output}.key`);
    const written = await writeKeyPair(this.flags.output, password);
    if (!this.isJson) {
      this.log(`private key  ${written.privateKey}  (keep it secret; password-protected)`);
      this.log(`public key   ${written.publicKey}  (give this to verifiers: oci verify --key, verify.keys)`);
    }
    return written;
  }
}
