/**
 * File-tree helpers of the tree store: stat stamps, read-only marking, and linking a tree into a
 * generation (hard links, with a copy where links cannot be made).
 */
import { chmod, copyFile, link, lstat, mkdir, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** relative path → [size, mtimeMs, ino] */
export type TreeStamps = Record<string, [number, number, number]>;

/** Files that belong to the store's bookkeeping, never to an installed module. */
const STORE_ONLY = new Set(['.tree-stamps.json']);

export async function statTree(root: string): Promise<TreeStamps> {
  const out: TreeStamps = {};
  await walk(root, async (abs, isDir) => {
    if (isDir) return;
    const rel = relative(root, abs).split(sep).join('/');
    if (STORE_ONLY.has(rel)) return; // rel has no slash only at the top level
    const info = await lstat(abs);
    out[rel] = [info.size, info.mtimeMs, info.ino];
  });
  return out;
}

/** chmod a-w on every file: a shared inode must not be edited by accident through any of its links. */
export async function makeReadOnly(root: string): Promise<void> {
  await walk(root, async (abs, isDir) => {
    if (isDir) return;
    const info = await lstat(abs);
    if (info.isFile()) await chmod(abs, info.mode & 0o7555);
  });
}

export interface LinkCounts {
  linked: number;
  copied: number;
}

/**
 * Recreate `from` at `to` with hard links; across file systems (EXDEV) or where links are refused
 * (EPERM, e.g. some mounted or protected file systems) the file is copied and made read-only instead.
 */
export async function linkTree(from: string, to: string): Promise<LinkCounts> {
  const counts: LinkCounts = { linked: 0, copied: 0 };
  await linkInto(from, to, counts, true);
  return counts;
}

async function linkInto(from: string, to: string, counts: LinkCounts, top: boolean): Promise<void> {
  await mkdir(to, { recursive: true });
  const entries = await readdir(from, { withFileTypes: true });
  await Promise.all(
    entries.map(async (entry) => {
      const src = join(from, entry.name);
      const dst = join(to, entry.name);
      if (entry.isDirectory()) return linkInto(src, dst, counts, false);
      if (!entry.isFile() || (top && STORE_ONLY.has(entry.name))) return;
      try {
        await link(src, dst);
        counts.linked++;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EXDEV' && code !== 'EPERM') throw err;
        await copyFile(src, dst);
        await chmod(dst, (await lstat(src)).mode & 0o7555);
        counts.copied++;
      }
    }),
  );
}

async function walk(dir: string, visit: (abs: string, isDir: boolean) => Promise<void>): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  await Promise.all(
    entries.map(async (entry) => {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) {
        await visit(abs, true);
        await walk(abs, visit);
      } else await visit(abs, false);
    }),
  );
}
