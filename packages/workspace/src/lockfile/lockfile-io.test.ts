import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCKFILE_VERSION, type Lockfile } from '@provisioning/schemas';
import { type TempDir, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockfilePath, readLockfile, writeLockfile } from './lockfile-io.js';

let root: TempDir;
beforeAll(async () => {
  root = await tempDir('lockfile-io-');
  await mkdir(join(root.path, 'config'));
});
afterAll(() => root.remove());

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const lock = (version: string): Lockfile => ({
  lockfile_version: LOCKFILE_VERSION,
  core: { version: '3.5.0' },
  modules: {
    redis: {
      type: 'taskserv',
      version,
      reference: `localhost:5000/provisioning-extensions/redis:${version}`,
      manifest_digest: digest('a'),
      layer_digest: digest('b'),
      source: 'oci',
      dependencies: {},
    },
  },
});

describe('readLockfile', () => {
  it('is undefined without a lockfile', async () => {
    const empty = await tempDir('lockfile-io-none-');
    try {
      expect(await readLockfile(empty.path)).toBeUndefined();
    } finally {
      await empty.remove();
    }
  });

  it('hands out copies, and sees every change of the file', async () => {
    await writeLockfile(root.path, lock('1.0.0'));
    const first = (await readLockfile(root.path))!;
    first.modules.redis!.version = '9.9.9'; // a caller changing what it got changes nothing else
    expect((await readLockfile(root.path))?.modules.redis?.version).toBe('1.0.0');
    await writeLockfile(root.path, lock('1.0.1'));
    expect((await readLockfile(root.path))?.modules.redis?.version).toBe('1.0.1');
  });

  it('reports a broken lockfile with its position, even after a good read', async () => {
    await writeLockfile(root.path, lock('1.0.0'));
    await readLockfile(root.path);
    await writeFile(lockfilePath(root.path), 'lockfile_version: [\n');
    const error = await readLockfile(root.path).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('YAML_SYNTAX');
    expect((error as Error).message).toContain('provisioning.lock');
  });
});
