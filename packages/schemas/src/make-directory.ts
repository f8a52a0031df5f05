import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathExists } from './path-exists.js';

/**
 * `mkdir -p`, with the real reason when it fails. Node's recursive `mkdir` reports `ENOENT` where a
 * parent could not be created because the file system is read-only (`EROFS`) or not writable
 * (`EACCES`); that would read as "a path is missing" instead of what to fix. On `ENOENT` this finds
 * the first missing ancestor and creates it alone, which fails with the true errno.
 */
export async function makeDirectory(path: string, mode?: number): Promise<void> {
  try {
    await mkdir(path, { recursive: true, ...(mode === undefined ? {} : { mode }) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    let missing = path;
    while (dirname(missing) !== missing && !(await pathExists(dirname(missing)))) missing = dirname(missing);
    await mkdir(missing, mode === undefined ? {} : { mode }); // throws EROFS / EACCES / …
    throw error;
  }
}
