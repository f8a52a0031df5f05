import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { makeDirectory, ProvisioningError, provisioningHome } from '@provisioning/schemas';
import type { Credential } from './types.js';

interface StoreFile {
  version: 1;
  /** Keyed by origin: `https://ghcr.io`, `http://127.0.0.1:5000`. */
  auths: Record<string, Credential>;
}

/** `$PROVISIONING_HOME/credentials.json` */
export function credentialsFile(home: string = provisioningHome()): string {
  return join(home, 'credentials.json');
}

/**
 * The credential store older versions of `oci login` wrote: one JSON file keyed by registry origin.
 * Still read (after the login file, docs/oci.md "Credentials") so those logins keep working; a new
 * login or a logout removes the registry's entry from it. Nothing new is written to it.
 */
export class CredentialStore {
  readonly file: string;

  constructor(home: string = provisioningHome()) {
    this.file = credentialsFile(home);
  }

  private async read(): Promise<StoreFile> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, auths: {} };
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as Partial<StoreFile>;
      if (
        typeof parsed !== 'object' ||
        parsed === null ||
        typeof parsed.auths !== 'object' ||
        parsed.auths === null
      ) {
        throw new Error('missing "auths"');
      }
      return { version: 1, auths: parsed.auths };
    } catch (cause) {
      throw new ProvisioningError(
        'CREDENTIALS_INVALID',
        `credential store ${this.file} is not valid JSON with an "auths" object`,
        {
          kind: 'input',
          cause,
          hint: `fix or delete ${this.file}, then run \`provisioning oci login\` again`,
          details: { file: this.file },
        },
      );
    }
  }

  private async write(data: StoreFile): Promise<void> {
    await makeDirectory(dirname(this.file), 0o700);
    const temp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
      await chmod(temp, 0o600);
      await rename(temp, this.file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async get(origin: string): Promise<Credential | undefined> {
    return (await this.read()).auths[origin];
  }

  async set(origin: string, credential: Credential): Promise<void> {
    const data = await this.read();
    data.auths[origin] = credential;
    await this.write(data);
  }

  /** Remove an origin's entry; false when there was none. */
  async delete(origin: string): Promise<boolean> {
    const data = await this.read();
    if (!(origin in data.auths)) return false;
    delete data.auths[origin];
    await this.write(data);
    return true;
  }

  async origins(): Promise<string[]> {
    return Object.keys((await this.read()).auths);
  }
}
