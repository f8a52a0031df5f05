/**
 * A directory holding one OCI image layout per repository — `ROOT/<repository>/{oci-layout,
 * index.json,blobs}`, the storage layout Zot serves. Used as the pull cache
 * (`$PROVISIONING_HOME/oci-cache`) and as the built-in registry's storage.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, resolve as resolvePath, sep } from 'node:path';
import { isValidPathComponent, isValidRepository, ProvisioningError } from '@provisioning/schemas';
import { OCI_LAYOUT_FILE, OciLayout, type OpenLayoutOptions } from './oci-layout.js';

/** Names that would land inside another repository's layout files. */
const RESERVED_COMPONENTS = new Set(['blobs', 'oci-layout', 'index.json']);

/** A distribution-spec repository name that is also safe as a directory under the store root. */
export function isValidRepositoryName(name: string): boolean {
  return isValidRepository(name) && !name.split('/').some((part) => RESERVED_COMPONENTS.has(part));
}

export function assertValidRepositoryName(name: string): void {
  if (!isValidRepositoryName(name)) {
    throw new ProvisioningError(
      'REPOSITORY_NAME_INVALID',
      `invalid repository name ${JSON.stringify(name.slice(0, 300))}`,
      {
        kind: 'input',
        hint: 'use lowercase path components like ns/name (a-z, 0-9, separators . _ __ -), at most 255 characters',
        details: { name: name.slice(0, 300) },
      },
    );
  }
}

export class LayoutStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolvePath(root);
  }

  /** Directory of a repository's layout; the name is validated so it cannot escape the root. */
  repositoryPath(name: string): string {
    assertValidRepositoryName(name);
    const path = join(this.root, ...name.split('/'));
    const rel = relative(this.root, path);
    if (rel === '' || rel.startsWith('..') || rel.split(sep).includes('..')) {
      throw new ProvisioningError('REPOSITORY_NAME_INVALID', `repository name ${name} escapes ${this.root}`, {
        kind: 'input',
        hint: 'use a plain repository name such as ns/name',
      });
    }
    return path;
  }

  /** Open a repository's layout, creating it unless `create: false`. */
  async repository(name: string, options: OpenLayoutOptions = { create: true }): Promise<OciLayout> {
    return OciLayout.open(this.repositoryPath(name), { create: true, ...options });
  }

  /** Does the repository exist (has an `oci-layout` file)? */
  async has(name: string): Promise<boolean> {
    if (!isValidRepositoryName(name)) return false;
    try {
      await OciLayout.open(this.repositoryPath(name));
      return true;
    } catch (error) {
      if (error instanceof ProvisioningError && error.code === 'LAYOUT_NOT_FOUND') return false;
      throw error;
    }
  }

  /** Every repository under the root, sorted (the catalog). Symlinks and dot-directories are skipped. */
  async repositories(): Promise<string[]> {
    const found: string[] = [];
    const walk = async (dir: string, parts: string[]): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      const isLayout = entries.some((e) => e.isFile() && e.name === OCI_LAYOUT_FILE);
      if (isLayout && parts.length > 0) {
        const name = parts.join('/');
        if (isValidRepositoryName(name)) found.push(name);
      }
      for (const entry of entries) {
        if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
        if (isLayout && entry.name === 'blobs') continue;
        if (!isValidPathComponent(entry.name)) continue;
        await walk(join(dir, entry.name), [...parts, entry.name]);
      }
    };
    await walk(this.root, []);
    return found.sort();
  }
}
