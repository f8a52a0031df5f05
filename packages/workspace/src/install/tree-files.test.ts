import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linkTree, makeReadOnly, statTree, type TreeListing } from './tree-files.js';

const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

async function tree(base: string): Promise<string> {
  const root = await mkdtemp(join(base, 'tree-files-'));
  made.push(root);
  await mkdir(join(root, 'src', 'nested'), { recursive: true });
  await writeFile(join(root, 'src', 'a.txt'), 'a');
  await writeFile(join(root, 'src', 'nested', 'b.txt'), 'b');
  await writeFile(join(root, 'src', '.tree-stamps.json'), '{}');
  await makeReadOnly(join(root, 'src'));
  return root;
}

describe('linkTree', () => {
  it('hard-links on one file system and leaves out the store bookkeeping', async () => {
    const root = await tree(tmpdir());
    const counts = await linkTree(join(root, 'src'), join(root, 'dst'));
    expect({ ...counts, files: [...counts.files].sort() }).toEqual({
      linked: 2,
      copied: 0,
      files: ['a.txt', 'nested/b.txt'],
    });
    expect((await stat(join(root, 'dst', 'nested', 'b.txt'))).ino).toBe(
      (await stat(join(root, 'src', 'nested', 'b.txt'))).ino,
    );
    await expect(stat(join(root, 'dst', '.tree-stamps.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  // /dev/shm is a tmpfs, a different file system from the temp dir on this machine's disk
  it('copies read-only across file systems (EXDEV)', async () => {
    const root = await tree('/dev/shm');
    const other = await mkdtemp(join(tmpdir(), 'tree-files-dst-'));
    made.push(other);
    expect((await stat(root)).dev).not.toBe((await stat(other)).dev);
    const counts = await linkTree(join(root, 'src'), join(other, 'dst'));
    expect({ ...counts, files: [...counts.files].sort() }).toEqual({
      linked: 0,
      copied: 2,
      files: ['a.txt', 'nested/b.txt'],
    });
    expect(await readFile(join(other, 'dst', 'a.txt'), 'utf8')).toBe('a');
    expect((await stat(join(other, 'dst', 'a.txt'))).mode & 0o222).toBe(0);
  });
});

describe('linkTree from a listing', () => {
  it('links what the stamping walk listed, empty directories included, without walking again', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tree-files-listed-'));
    made.push(root);
    const src = join(root, 'src');
    await mkdir(join(src, 'nested', 'deeper'), { recursive: true });
    await mkdir(join(src, 'empty'));
    await writeFile(join(src, 'a.txt'), 'a');
    await writeFile(join(src, 'nested', 'deeper', 'b.txt'), 'b');
    await writeFile(join(src, '.tree-stamps.json'), '{}');
    const listed: TreeListing = { dirs: [], files: [] };
    await makeReadOnly(src, listed);
    // readdir order is the file system's: parents come before their children, the rest may vary
    expect([...listed.dirs].sort()).toEqual(['empty', 'nested', 'nested/deeper']);
    expect(listed.dirs.indexOf('nested')).toBeLessThan(listed.dirs.indexOf('nested/deeper'));
    expect([...listed.files].sort()).toEqual(['a.txt', 'nested/deeper/b.txt']);
    const restat: TreeListing = { dirs: [], files: [] };
    await statTree(src, restat);
    expect(restat).toEqual(listed);

    // a file added after the listing is not seen: the listing is what gets linked, not a new walk
    await writeFile(join(src, 'late.txt'), 'late');
    const counts = await linkTree(src, join(root, 'dst'), listed);
    await expect(stat(join(root, 'dst', 'late.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect({ ...counts, files: [...counts.files].sort() }).toEqual({
      linked: 2,
      copied: 0,
      files: ['a.txt', 'nested/deeper/b.txt'],
    });
    const walked = await linkTree(src, join(root, 'walked'));
    expect([...walked.files].sort()).toEqual([...counts.files, 'late.txt'].sort());
    expect((await stat(join(root, 'dst', 'empty'))).isDirectory()).toBe(true);
    expect((await stat(join(root, 'dst', 'nested', 'deeper', 'b.txt'))).ino).toBe(
      (await stat(join(src, 'nested', 'deeper', 'b.txt'))).ino,
    );
    await expect(stat(join(root, 'dst', '.tree-stamps.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('makeReadOnly', () => {
  it('makes every file read-only and returns stamps equal to a fresh stat of the tree', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tree-files-ro-'));
    made.push(root);
    await mkdir(join(root, 'deep', 'er'), { recursive: true });
    await writeFile(join(root, 'top.txt'), 'top');
    await writeFile(join(root, 'deep', 'er', 'x.sh'), '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(join(root, '.tree-stamps.json'), '{}');
    const stamps = await makeReadOnly(root);
    expect(Object.keys(stamps).sort()).toEqual(['deep/er/x.sh', 'top.txt']);
    expect(stamps).toEqual(await statTree(root));
    expect((await stat(join(root, 'top.txt'))).mode & 0o777).toBe(0o444);
    expect((await stat(join(root, 'deep', 'er', 'x.sh'))).mode & 0o777).toBe(0o555);
  });
});
