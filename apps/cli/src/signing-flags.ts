/** Flags and key loading shared by the signing commands (docs/signing.md). */
import type { KeyObject } from 'node:crypto';
import { Flags } from '@oclif/core';
import { ProvisioningError } from '@provisioning/schemas';
import { keyPassword } from './io/key-password.js';

export const signKeyFlag = Flags.string({
  summary:
    'Sign what was pushed with this cosign private key (password from PROVISIONING_KEY_PASSWORD or the terminal).',
});

export const annotationFlag = Flags.string({
  summary: 'Annotation KEY=VALUE in the signature payload (repeatable).',
  multiple: true,
});

export const identityFlag = Flags.string({
  summary: 'Repository the artifact is published as (NAMESPACE/NAME), for a bare oci-layout: reference.',
});

/** Load and unlock a private key before anything is pushed, so a wrong password changes nothing. */
export async function unlockKey(file: string): Promise<KeyObject> {
  const { loadPrivateKey } = await import('@provisioning/workspace');
  return loadPrivateKey(file, await keyPassword('unlock', file));
}

export function parseAnnotations(values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values ?? []) {
    const eq = value.indexOf('=');
    if (eq <= 0) {
      throw new ProvisioningError('FLAG_INVALID', `--annotation ${JSON.stringify(value)} is not KEY=VALUE`, {
        kind: 'usage',
        hint: 'write it as --annotation ci=github-actions',
      });
    }
    out[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return out;
}
