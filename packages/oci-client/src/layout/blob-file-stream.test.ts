import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOB_READ_CHUNK_BYTES, openBlobFile } from './blob-file-stream.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'blob-file-stream-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The chunk lengths a stream hands out. */
async function chunksOf(stream: AsyncIterable<Buffer>): Promise<{ lengths: number[] }> {
  const lengths: number[] = [];
  for await (const chunk of stream) lengths.push(chunk.length);
  return { lengths };
}

describe('openBlobFile', () => {
  // Node allocates the whole high-water mark for each read and copies a short read out of it: the
  // read size is what decides the garbage, so that is what is checked.
  it('reads a small blob with reads of its own size, not 256 KiB ones', async () => {
    const file = join(dir, 'config');
    writeFileSync(file, Buffer.alloc(300, 1));
    const stream = openBlobFile(file, 300);
    expect(stream.readableHighWaterMark).toBe(300);
    expect((await chunksOf(stream)).lengths).toEqual([300]);
  });

  it('reads a large blob in 256 KiB reads, and a blob of unknown size the same way', async () => {
    const file = join(dir, 'layer');
    const size = 2 * BLOB_READ_CHUNK_BYTES + 5;
    writeFileSync(file, Buffer.alloc(size, 2));
    for (const hint of [size, undefined]) {
      const stream = openBlobFile(file, hint);
      expect(stream.readableHighWaterMark).toBe(BLOB_READ_CHUNK_BYTES);
      const { lengths } = await chunksOf(stream);
      expect(lengths).toEqual([BLOB_READ_CHUNK_BYTES, BLOB_READ_CHUNK_BYTES, 5]);
    }
  });

  it('reads an empty blob as no chunks', async () => {
    const file = join(dir, 'empty');
    writeFileSync(file, '');
    expect((await chunksOf(openBlobFile(file, 0))).lengths).toEqual([]);
  });
});
