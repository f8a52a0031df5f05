import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openNewFileSink } from './new-file-sink.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'new-file-sink-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const openFds = () => readdirSync('/proc/self/fd').length;

describe('openNewFileSink', () => {
  it.each([
    ['with fsync', true],
    ['without fsync', false],
  ])('creates the file at once, writes every chunk in order and closes it (%s)', async (_label, fsync) => {
    const before = openFds();
    const file = join(dir, 'blob');
    const sink = openNewFileSink(file, { fsync, mode: 0o600 });
    expect((await stat(file)).size).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const chunks = [Buffer.alloc(256 * 1024, 1), Buffer.alloc(10, 2), Buffer.alloc(300_000, 3)];
    await pipeline(Readable.from(chunks), sink);
    expect((await readFile(file)).equals(Buffer.concat(chunks))).toBe(true);
    expect(openFds()).toBe(before);
  });

  it('refuses an existing file, and closes its descriptor when the pipeline fails', async () => {
    await writeFile(join(dir, 'taken'), 'x');
    expect(() => openNewFileSink(join(dir, 'taken'))).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(await readFile(join(dir, 'taken'), 'utf8')).toBe('x');
    const before = openFds();
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1000, 4));
        this.destroy(new Error('network gone'));
      },
    });
    await expect(pipeline(failing, openNewFileSink(join(dir, 'partial'), { fsync: true }))).rejects.toThrow(
      'network gone',
    );
    expect(openFds()).toBe(before);
  });
});
