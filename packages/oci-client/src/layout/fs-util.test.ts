import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-file.js';
import { writeSynced } from './fs-util.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-util-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeSynced', () => {
  it('writes a new file whole, from bytes or text, and never over an existing one', async () => {
    const bytes = Buffer.alloc(300_000, 7);
    await writeSynced(join(dir, 'blob'), bytes);
    expect((await readFile(join(dir, 'blob'))).equals(bytes)).toBe(true);
    await writeSynced(join(dir, 'text'), 'héllo');
    expect(await readFile(join(dir, 'text'), 'utf8')).toBe('héllo');
    await expect(writeSynced(join(dir, 'text'), 'other')).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(join(dir, 'text'), 'utf8')).toBe('héllo');
  });
});

describe('writeFileAtomic', () => {
  it('replaces a file and leaves no temp file behind, also when the write fails', async () => {
    await writeFileAtomic(join(dir, 'index.json'), '{"a":1}');
    await writeFileAtomic(join(dir, 'index.json'), '{"a":2}');
    expect(await readFile(join(dir, 'index.json'), 'utf8')).toBe('{"a":2}');
    await expect(writeFileAtomic(join(dir, 'missing', 'index.json'), 'x')).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(await readdir(dir)).toEqual(['index.json']);
  });
});
