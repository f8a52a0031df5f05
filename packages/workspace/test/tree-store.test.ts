/**
 * The tree store with real packed layers: trees appear whole and read-only, concurrent writers of
 * one digest end with one tree, a wrong digest leaves nothing, a tree edited through a link is
 * replaced, and a dead unpack's temp dir is swept.
 */
import { createReadStream } from 'node:fs';
import { appendFile, chmod, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { packExtension, scaffoldExtension } from '@provisioning/packager';
import { type TempDir, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TREE_STAMPS_FILE, TreeStore } from '../src/install/tree-store.js';

let tmp: TempDir;
let layerPath: string;
let digest: string;
let size: number;

beforeAll(async () => {
  tmp = await tempDir('tree-store-');
  const dir = join(tmp.path, 'src', 'redis');
  await mkdir(join(tmp.path, 'src'), { recursive: true });
  await scaffoldExtension('taskserv', 'redis', dir);
  const packed = await packExtension(dir, { outputDir: join(tmp.path, 'out') });
  layerPath = packed.layer.path;
  digest = packed.layer.descriptor.digest;
  size = packed.layer.descriptor.size;
});

afterAll(async () => {
  await tmp?.remove();
});

const open = async () => createReadStream(layerPath);

describe('TreeStore', () => {
  it('unpacks a layer once into a read-only tree and reuses it without opening the layer', async () => {
    const store = new TreeStore(join(tmp.path, 'once'));
    const { dir } = await store.ensure(digest, open);
    expect(dir).toBe(join(tmp.path, 'once', 'sha256', digest.slice('sha256:'.length)));
    expect(await readdir(dir)).toContain('manifest.yaml');
    expect(await readdir(dir)).toContain(TREE_STAMPS_FILE);
    expect((await stat(join(dir, 'manifest.yaml'))).mode & 0o222).toBe(0);
    const { dir: again } = await store.ensure(digest, () => Promise.reject(new Error('layer opened again')));
    expect(again).toBe(dir);
  });

  it('concurrent writers of one digest end with one intact tree and no temp dirs', async () => {
    const store = new TreeStore(join(tmp.path, 'race'));
    for (let round = 0; round < 3; round++) {
      const dirs = (await Promise.all(Array.from({ length: 8 }, () => store.ensure(digest, open)))).map(
        (t) => t.dir,
      );
      expect(new Set(dirs).size).toBe(1);
      expect(await readdir(dirs[0] as string)).toContain('manifest.yaml');
    }
    expect(await readdir(join(tmp.path, 'race', 'sha256'))).toEqual([digest.slice('sha256:'.length)]);
  });

  it('a layer that does not match its digest leaves nothing in the store', async () => {
    const store = new TreeStore(join(tmp.path, 'bad'));
    const wrong = `sha256:${'0'.repeat(64)}`;
    await expect(store.ensure(wrong, open)).rejects.toThrow(/digest/);
    expect(await readdir(join(tmp.path, 'bad', 'sha256'))).toEqual([]);
  });

  it('a layer of another size than its descriptor says leaves nothing in the store', async () => {
    const store = new TreeStore(join(tmp.path, 'size'));
    await expect(store.ensure(digest, open, size + 1)).rejects.toThrow(/size/);
    expect(await readdir(join(tmp.path, 'size', 'sha256'))).toEqual([]);
    const { dir } = await store.ensure(digest, open, size);
    expect(await readdir(dir)).toContain('manifest.yaml');
  });

  it('a tree edited through a link is found by its stamps and replaced from the layer', async () => {
    const store = new TreeStore(join(tmp.path, 'edit'));
    const { dir } = await store.ensure(digest, open);
    const file = join(dir, 'manifest.yaml');
    const original = await readFile(file, 'utf8');
    await chmod(file, 0o644);
    await appendFile(file, '\nedited: true\n');
    let opened = 0;
    await store.ensure(digest, () => {
      opened++;
      return open();
    });
    expect(opened).toBe(1);
    expect(await readFile(file, 'utf8')).toBe(original);
  });

  it('sweeps the temp dir of an unpack whose process is gone, and the packager staging beside it', async () => {
    const store = new TreeStore(join(tmp.path, 'sweep'));
    // pid 2^22+1 is above Linux's pid_max default: no such process
    const dead = join(tmp.path, 'sweep', 'sha256', `.tmp-${2 ** 22 + 1}-abc`);
    const staging = join(tmp.path, 'sweep', 'sha256', `..tmp-${2 ** 22 + 1}-abc.unpack-0123456789ab`);
    // pid 1 is always alive: another writer's unpack in flight
    const alive = join(tmp.path, 'sweep', 'sha256', '..tmp-1-def.unpack-0123456789ab');
    for (const dir of [dead, staging, alive]) await mkdir(dir, { recursive: true });
    await store.sweep();
    expect(await readdir(join(tmp.path, 'sweep', 'sha256'))).toEqual(['..tmp-1-def.unpack-0123456789ab']);
    await rm(alive, { recursive: true });
    await store.sweep();
    expect(await readdir(join(tmp.path, 'sweep', 'sha256'))).toEqual([]);
  });
});
