import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDirectory } from './make-directory.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'make-directory-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('makeDirectory', () => {
  it('creates every missing level with the mode given, and accepts one that exists', async () => {
    const deep = join(dir, 'a', 'b', 'c');
    await makeDirectory(deep, 0o700);
    expect((await stat(deep)).isDirectory()).toBe(true);
    expect((await stat(join(dir, 'a'))).mode & 0o777).toBe(0o700);
    await expect(makeDirectory(deep)).resolves.toBeUndefined();
  });

  it('rejects with the real errno: a file in the way, a file system that refuses', async () => {
    await writeFile(join(dir, 'file'), 'x');
    await expect(makeDirectory(join(dir, 'file', 'sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    // sysfs refuses new directories, even to root (read-only where it is mounted so): not ENOENT
    await expect(makeDirectory('/sys/provisioning-test/sub')).rejects.toMatchObject({
      code: expect.stringMatching(/^(EPERM|EROFS|EACCES)$/),
    });
  });
});
