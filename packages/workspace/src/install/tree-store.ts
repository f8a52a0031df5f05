/**
 * The tree store: unpacked, verified extension trees in the cache, keyed by layer digest
 * (`<cacheDir>/.trees/sha256/<hex>/`), the way pnpm's store works. An install hard-links its files
 * from here instead of unpacking again. Trees appear atomically: a layer is unpacked (digest and
 * every file verified by the packager) into a temporary sibling, made read-only, stamped, then
 * renamed into place; a concurrent writer that loses the rename discards its copy, and a crashed
 * unpack leaves only a `.tmp-*` directory that nothing reads and the next writer sweeps. A damaged
 * tree is renamed aside before the new one goes in, never deleted where another writer may be placing one.
 *
 * Files are shared by inode with every generation that links them, so a user who makes an installed
 * file writable and edits it edits the store too. Before a tree is linked its stat stamps
 * (size, mtime, inode) are compared with those taken when it was written; on any difference the tree
 * is hashed against its file list and, if it no longer matches, replaced from the layer.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { unpackExtension } from '@provisioning/packager';
import { processAlive } from '@provisioning/schemas';
import { pausePoint } from './test-hooks.js';
import { makeReadOnly, statTree, type TreeListing, type TreeStamps } from './tree-files.js';
import { verifyInstalledModule } from './verify-installed.js';

/** Stamps of a store tree; kept inside it and never linked into a generation. */
export const TREE_STAMPS_FILE = '.tree-stamps.json';

export class TreeStore {
  constructor(readonly root: string) {}

  /** The store of a pull cache directory. */
  static inCache(cacheDir: string): TreeStore {
    return new TreeStore(join(cacheDir, '.trees'));
  }

  treeDir(layerDigest: string): string {
    const [algorithm, hex] = layerDigest.split(':');
    if (!algorithm || !hex || !/^[a-z0-9]+$/.test(algorithm) || !/^[a-f0-9]+$/.test(hex)) {
      throw new Error(`not a layer digest: ${layerDigest}`);
    }
    return join(this.root, algorithm, hex);
  }

  /**
   * The directory of the verified tree of `layerDigest`, unpacking it from `openLayer()` first when
   * it is missing or no longer intact (`openLayer` is only called in that case), and what the walk
   * that checked or stamped the tree found: the listing a generation links from (`linkTree`)
   * without walking the tree again. `layerSize`, when known, is checked too and sizes the unpack's
   * buffers.
   */
  async ensure(
    layerDigest: string,
    openLayer: () => Promise<Readable>,
    layerSize?: number,
  ): Promise<{ dir: string; listing: TreeListing }> {
    const dir = this.treeDir(layerDigest);
    const existing = await this.intact(dir);
    if (existing) return { dir, listing: existing };
    const parent = join(dir, '..');
    // the small calls of this path are synchronous, like the walks in tree-files.ts: a thread-pool
    // round trip costs the main thread more than the call (docs/performance.md, "The third session")
    mkdirSync(parent, { recursive: true });
    const temp = join(parent, `.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
    // the same bytes (the layer digest names them) whichever writer's tree ends up in place
    const listing: TreeListing = { dirs: [], files: [] };
    try {
      await unpackExtension(await openLayer(), temp, {
        expectedDigest: layerDigest,
        expectedSize: layerSize,
      });
      writeFileSync(join(temp, TREE_STAMPS_FILE), JSON.stringify(await makeReadOnly(temp, listing)));
      await pausePoint('before-tree-rename');
      await this.moveIntoPlace(temp, dir);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
    return { dir, listing };
  }

  /**
   * Rename `temp` to `dir`. When `dir` exists, a concurrent writer's intact tree wins and ours is
   * discarded; a damaged one is first renamed aside (never deleted in place, since another writer may
   * rename its tree onto the emptied directory while a recursive delete runs).
   */
  private async moveIntoPlace(temp: string, dir: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        renameSync(temp, dir);
        return;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      }
      if ((await this.intact(dir)) !== undefined) return;
      const aside = `${temp}-damaged`;
      await rename(dir, aside).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
      await rm(aside, { recursive: true, force: true });
    }
    throw new Error(`could not place the unpacked tree at ${dir}: other writers kept replacing it`);
  }

  /** Remove leftovers of unpacks that died (called by writers; harmless when nothing is left). */
  async sweep(algorithm = 'sha256'): Promise<void> {
    const parent = join(this.root, algorithm);
    for (const name of await readdir(parent).catch(() => [] as string[])) {
      // `.tmp-PID-…` is ours; `..tmp-PID-….unpack-…` the packager's staging directory beside it
      const owner = name.startsWith('.tmp-')
        ? name.slice(5)
        : name.startsWith('..tmp-')
          ? name.slice(6)
          : undefined;
      if (owner === undefined) continue;
      const pid = Number(owner.split('-')[0]);
      if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) continue;
      await rm(join(parent, name), { recursive: true, force: true });
    }
  }

  /** The tree's listing when it is intact (as stamped, or hashed clean and stamped again). */
  private async intact(dir: string): Promise<TreeListing | undefined> {
    let recorded: string;
    try {
      recorded = readFileSync(join(dir, TREE_STAMPS_FILE), 'utf8');
    } catch {
      return undefined;
    }
    let stamps: TreeStamps;
    try {
      stamps = JSON.parse(recorded) as TreeStamps;
    } catch {
      return undefined;
    }
    const listing: TreeListing = { dirs: [], files: [] };
    if (sameStamps(stamps, await statTree(dir, listing).catch(() => undefined))) return listing;
    // touched: only a full hash against the packaged file list can clear it
    const problems = await verifyInstalledModule(dir);
    if (!problems.every((p) => p.path === TREE_STAMPS_FILE && p.problem === 'unexpected')) return undefined;
    const restamped: TreeListing = { dirs: [], files: [] };
    await writeFile(join(dir, TREE_STAMPS_FILE), JSON.stringify(await statTree(dir, restamped)));
    return restamped;
  }
}

function sameStamps(a: TreeStamps, b: TreeStamps | undefined): boolean {
  if (!b) return false;
  const paths = Object.keys(a);
  if (paths.length !== Object.keys(b).length) return false;
  return paths.every((p) => {
    const x = a[p];
    const y = b[p];
    return x !== undefined && y !== undefined && x[0] === y[0] && x[1] === y[1] && x[2] === y[2];
  });
}
