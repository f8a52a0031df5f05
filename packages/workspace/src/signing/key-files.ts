/** Reading key files for signing and verification, with one clear error for a missing file. */

import type { KeyObject } from 'node:crypto';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { decryptPrivateKey, generateSigningKeyPair, readPublicKey } from '@provisioning/oci-client';
import { asFileSystemError, ProvisioningError, writeFileAtomic } from '@provisioning/schemas';
import type { TrustedKey } from './check-signatures.js';

export async function loadPublicKeys(files: string[]): Promise<TrustedKey[]> {
  return Promise.all(
    files.map(async (file) => ({ file, key: readPublicKey(await readKeyFile(file, 'public'), file) })),
  );
}

export async function loadPrivateKey(file: string, password: string): Promise<KeyObject> {
  return decryptPrivateKey(await readKeyFile(file, 'private'), password, file);
}

async function readKeyFile(file: string, kind: 'public' | 'private'): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'EISDIR'
    ) {
      throw new ProvisioningError('KEY_NOT_FOUND', `${kind} key file ${file} does not exist`, {
        kind: 'input',
        hint:
          kind === 'public'
            ? 'give the .pub file of the signing key pair'
            : 'create one with `provisioning oci key generate`',
        details: { file },
      });
    }
    throw asFileSystemError(error, file);
  }
}

/**
 * `oci key generate`: PREFIX.key (mode 0600) and PREFIX.pub. Refuses to overwrite either; when the
 * second write fails the first is removed, so a failed run leaves no file behind.
 */
export async function writeKeyPair(
  prefix: string,
  password: string,
): Promise<{ privateKey: string; publicKey: string }> {
  const privateFile = resolve(`${prefix}.key`);
  const publicFile = resolve(`${prefix}.pub`);
  for (const file of [privateFile, publicFile]) {
    if (
      await stat(file).then(
        () => true,
        () => false,
      )
    ) {
      throw new ProvisioningError('TARGET_EXISTS', `${file} already exists`, {
        kind: 'input',
        hint: 'choose another --output prefix, or remove the old key pair first',
        details: { file },
      });
    }
  }
  const pair = generateSigningKeyPair(password);
  try {
    await mkdir(dirname(privateFile), { recursive: true });
    await writeFileAtomic(privateFile, pair.privateKey, { mode: 0o600 });
    await writeFileAtomic(publicFile, pair.publicKey);
  } catch (error) {
    await rm(privateFile, { force: true });
    throw asFileSystemError(error, privateFile);
  }
  return { privateKey: privateFile, publicKey: publicFile };
}
