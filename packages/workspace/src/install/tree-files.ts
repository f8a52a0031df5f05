/**
 * File-tree helpers of the tree store: stat stamps, read-only marking, and linking a tree into a
 * generation (hard links, with a copy where links cannot be made).
 *
 * The walks that stat or link every file are synchronous on purpose: a module is a few dozen small
 * files, and one thread-pool round trip per `lstat` or `link` cost several times the call itself
 * (a 100-module reinstall spent ≈ 250 ms waiting on the pool). On a local disk a module's walk
 * blocks for well under a millisecond; where creating a directory is slow (an ext4 that just freed
 * many inodes: ≈ 0.8 ms per mkdir) it is a few milliseconds, the same time the pool would take.
 */
import { chmodSync, copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';

/** relative path → [size, mtimeMs, ino] */
export type TreeStamps = Record<string, [number, number, number]>;

/** Files that belong to the store's bookkeeping, never to an installed module. */
const STORE_ONLY = new Set(['.tree-stamps.json']);

/**
 * What a walk of a store tree found, relative to its root with `/`: its directories (parents
 * first) and the regular files a generation links (the store's bookkeeping left out). Linking from
 * it spares a second walk of the tree (`linkTree`).
 */
export interface TreeListing {
  dirs: string[];
  files: string[];
}

/**
 * Every non-directory under `root` as [path relative to it with `/`, absolute path]; the
 * directories' relative paths go into `dirs` when given.
 */
export function listFilesSync(root: string, dirs?: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const visit = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      // not path.join: `dir` is already normal and a name has no separator (join cost ≈ 1 µs per file)
      const abs = `${dir}${sep}${entry.name}`;
      if (entry.isDirectory()) {
        dirs?.push(prefix + entry.name);
        visit(abs, `${prefix}${entry.name}/`);
      } else out.push([prefix + entry.name, abs]);
    }
  };
  visit(root, '');
  return out;
}

/** The tree's stamps; with `listing`, what a generation links from it is recorded there too. */
export async function statTree(root: string, listing?: TreeListing): Promise<TreeStamps> {
  const out: TreeStamps = {};
  for (const [rel, abs] of listFilesSync(root, listing?.dirs)) {
    if (STORE_ONLY.has(rel)) continue; // rel has no slash only at the top level
    const info = lstatSync(abs);
    out[rel] = [info.size, info.mtimeMs, info.ino];
    if (info.isFile()) listing?.files.push(rel);
  }
  return out;
}

/**
 * chmod a-w on every file (a shared inode must not be edited by accident through any of its links)
 * and return the tree's stamps, in one walk: chmod changes ctime, not the size, mtime or inode the
 * stamps hold. With `listing`, what a generation links from the tree is recorded there too.
 */
export async function makeReadOnly(root: string, listing?: TreeListing): Promise<TreeStamps> {
  const out: TreeStamps = {};
  for (const [rel, abs] of listFilesSync(root, listing?.dirs)) {
    const info = lstatSync(abs);
    if (!info.isFile()) continue;
    chmodSync(abs, info.mode & 0o7555);
    if (STORE_ONLY.has(rel)) continue;
    out[rel] = [info.size, info.mtimeMs, info.ino];
    listing?.files.push(rel);
  }
  return out;
}

export interface LinkCounts {
  linked: number;
  copied: number;
}

/**
 * Recreate `from` at `to` with hard links; across file systems (EXDEV) or where links are refused
 * (EPERM, e.g. some mounted or protected file systems) the file is copied and made read-only instead.
 */
export async function linkTree(
  from: string,
  to: string,
  listing?: TreeListing,
): Promise<LinkCounts & { files: string[] }> {
  const counts: LinkCounts = { linked: 0, copied: 0 };
  const files: string[] = [];
  if (!listing) {
    linkInto(from, to, '', { counts, files });
    return { ...counts, files };
  }
  mkdirSync(to, { recursive: true });
  for (const dir of listing.dirs) mkdirSync(join(to, dir), { recursive: true });
  for (const rel of listing.files) {
    linkFile(join(from, rel), join(to, rel), counts);
    files.push(rel);
  }
  return { ...counts, files };
}

/** A hard link, or a read-only copy where links cannot be made (EXDEV, EPERM). */
function linkFile(src: string, dst: string, counts: LinkCounts): void {
  try {
    linkSync(src, dst);
    counts.linked++;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM') throw err;
    copyFileSync(src, dst);
    chmodSync(dst, lstatSync(src).mode & 0o7555);
    counts.copied++;
  }
}

/** Links `from/prefix…` into `to/prefix…`, recording each file's path relative to the top. */
function linkInto(
  from: string,
  to: string,
  prefix: string,
  out: { counts: LinkCounts; files: string[] },
): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    const dst = join(to, entry.name);
    if (entry.isDirectory()) {
      linkInto(src, dst, `${prefix}${entry.name}/`, out);
      continue;
    }
    if (!entry.isFile() || (prefix === '' && STORE_ONLY.has(entry.name))) continue;
    linkFile(src, dst, out.counts);
    out.files.push(prefix + entry.name);
  }
}
