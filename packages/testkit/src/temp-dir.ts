import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  /** Absolute path of the new, empty directory. */
  readonly path: string;
  /** Remove the directory and everything in it (idempotent). */
  remove(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A fresh directory under the OS temp dir; call `remove()` in `afterAll`. */
export async function tempDir(prefix = 'provisioning-test-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix.endsWith('-') ? prefix : `${prefix}-`));
  const remove = () => rm(path, { recursive: true, force: true, maxRetries: 3 });
  return { path, remove, [Symbol.asyncDispose]: remove };
}
