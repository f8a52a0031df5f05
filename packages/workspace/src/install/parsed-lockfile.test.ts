import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lockfile } from '@provisioning/schemas';
import { type TempDir, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATION_LOCK_JSON } from './layout-paths.js';
import { readParsedLockfile, writeParsedLockfile } from './parsed-lockfile.js';

let dir: TempDir;
beforeAll(async () => {
  dir = await tempDir('parsed-lockfile-');
});
afterAll(() => dir.remove());

const lock = { lockfile_version: 1, modules: {} } as unknown as Lockfile;

describe('the parsed lockfile of a generation', () => {
  it('is returned only for the text it was made from', async () => {
    await writeParsedLockfile(dir.path, 'text A\n', lock);
    expect(await readParsedLockfile(dir.path, 'text A\n')).toEqual(lock);
    expect(await readParsedLockfile(dir.path, 'text A \n')).toBeUndefined();
  });

  it('is ignored when written in another format', async () => {
    await writeParsedLockfile(dir.path, 'text B\n', lock);
    const file = join(dir.path, GENERATION_LOCK_JSON);
    const record = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...record, format: record.format + 1 }));
    expect(await readParsedLockfile(dir.path, 'text B\n')).toBeUndefined();
  });

  it('is absent when the generation has none', async () => {
    const empty = await tempDir('parsed-lockfile-none-');
    try {
      expect(await readParsedLockfile(empty.path, 'text A\n')).toBeUndefined();
    } finally {
      await empty.remove();
    }
  });
});
