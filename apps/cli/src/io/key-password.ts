import { ProvisioningError } from '@provisioning/schemas';
import { promptHidden } from './prompt-hidden.js';

/**
 * The passphrase of a signing key: `PROVISIONING_KEY_PASSWORD` (may be empty), else asked on the
 * terminal (twice when creating a key); never from argv (docs/signing.md, "Keys").
 */
export async function keyPassword(purpose: 'create' | 'unlock', file: string): Promise<string> {
  const fromEnv = process.env.PROVISIONING_KEY_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new ProvisioningError(
      'PASSWORD_REQUIRED',
      `no password for the key ${file}: PROVISIONING_KEY_PASSWORD is not set and stdin is not a terminal`,
      {
        kind: 'usage',
        hint: 'set PROVISIONING_KEY_PASSWORD (e.g. from a CI secret)',
      },
    );
  }
  const first = await promptHidden(`Password for ${file}: `, 'cancelled');
  if (purpose === 'create' && (await promptHidden('Password again: ', 'cancelled')) !== first) {
    throw new ProvisioningError('PASSWORD_MISMATCH', 'the two passwords differ', {
      kind: 'usage',
      hint: 'run it again',
    });
  }
  return first;
}
