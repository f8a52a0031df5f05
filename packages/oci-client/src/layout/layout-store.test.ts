import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isValidRepositoryName, LayoutStore } from './layout-store.js';
import { makeArtifact, makeTempDir, pushImage } from './test-support/fixtures.js';

let dir: { path: string; cleanup(): Promise<void> };
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await dir.cleanup();
});

describe('LayoutStore', () => {
  it('keeps one layout per repository and lists them sorted', async () => {
    const store = new LayoutStore(dir.path);
    for (const name of ['provisioning-extensions/kubernetes', 'a', 'a/b', 'provisioning-extensions/aws']) {
      const layout = await store.repository(name);
      await pushImage(layout, makeArtifact(name), '1.0.0');
    }
    expect(await store.repositories()).toEqual([
      'a',
      'a/b',
      'provisioning-extensions/aws',
      'provisioning-extensions/kubernetes',
    ]);
    expect((await store.repository('a/b', { create: false })).path).toBe(join(dir.path, 'a', 'b'));
    expect(await store.has('a/b')).toBe(true);
    expect(await store.has('provisioning-extensions')).toBe(false);
    await expect(store.repository('nope', { create: false })).rejects.toMatchObject({
      code: 'LAYOUT_NOT_FOUND',
    });
  });

  it('never lets a name escape the root or collide with layout files', async () => {
    const store = new LayoutStore(dir.path);
    for (const name of [
      '../x',
      'a/../../x',
      '/abs',
      'a//b',
      'UPPER',
      'a/blobs',
      'x/oci-layout',
      '.hidden',
      '',
      'a'.repeat(256),
    ]) {
      expect(isValidRepositoryName(name)).toBe(false);
      await expect(store.repository(name)).rejects.toMatchObject({
        code: 'REPOSITORY_NAME_INVALID',
        kind: 'input',
      });
    }
  });

  it('skips symlinked and dot directories in the catalog', async () => {
    const store = new LayoutStore(join(dir.path, 'root'));
    await store.repository('real');
    const outside = join(dir.path, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    await symlink(outside, join(dir.path, 'root', 'linked'));
    await mkdir(join(dir.path, 'root', '.tmp'));
    await writeFile(join(dir.path, 'root', '.tmp', 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    expect(await store.repositories()).toEqual(['real']);
    expect(await new LayoutStore(join(dir.path, 'missing')).repositories()).toEqual([]);
  });
});
