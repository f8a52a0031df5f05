import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** Every regular file under `root` (symlinked directories followed), as relative path → sha256. */
export async function fileHashes(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) out.set(relative(root, path), await sha256(path));
    }
  };
  await walk(root);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/**
 * What a user's files look like under each of `roots`: every regular file with its sha256 and
 * every symlink with its target (the installed generation of a workspace is a link), keyed by
 * `ROOT-INDEX:relative/path`. Two snapshots are equal exactly when no file, link or directory
 * entry that holds content changed.
 */
export async function treeSnapshot(...roots: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (index: number, root: string, dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' && dir === root) return []; // a root not created yet holds nothing
      throw error;
    });
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const key = `${index}:${relative(root, path)}`;
      if (entry.isSymbolicLink()) out[key] = `-> ${await readlink(path)}`;
      else if (entry.isDirectory()) await walk(index, root, path);
      else if (entry.isFile()) out[key] = await sha256(path);
    }
  };
  for (const [index, root] of roots.entries()) await walk(index, root, root);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
