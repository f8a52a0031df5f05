import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { constants as zlibConstants } from 'node:zlib';
import { type TempDir, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigestStream } from '../src/pack/digest-stream.js';
import { writeTarball } from '../src/pack/write-tarball.js';
import { extractInto } from '../src/unpack/extract-entries.js';
import { DEFAULT_UNPACK_LIMITS } from '../src/unpack/limits.js';
import { inflateChunkBytes, ZLIB_CHUNK_BYTES } from '../src/zlib-chunk.js';

describe('inflateChunkBytes', () => {
  it("keeps zlib's default for small or unknown layers and caps large ones", () => {
    expect(inflateChunkBytes(undefined)).toBe(zlibConstants.Z_DEFAULT_CHUNK);
    expect(inflateChunkBytes(2_000)).toBe(zlibConstants.Z_DEFAULT_CHUNK);
    expect(inflateChunkBytes(100_000)).toBe(100_000);
    expect(inflateChunkBytes(10 * 1024 * 1024)).toBe(ZLIB_CHUNK_BYTES);
  });
});

describe('unpacking with large gunzip chunks', () => {
  let tmp: TempDir;
  let tarball: string;
  let size: number;
  // 1 MiB + 77 bytes of keystream (incompressible: many full chunks) and a compressible text file
  const key = createHash('sha256').update('zlib-chunk').digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  const blob = cipher.update(Buffer.alloc(1024 * 1024 + 77));
  const text = Buffer.from('line of text\n'.repeat(40_000));
  const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

  beforeAll(async () => {
    tmp = await tempDir('packager-zlib-chunk-');
    tarball = path.join(tmp.path, 'layer.tar.gz');
    await writeTarball(
      [
        { path: 'blob.bin', type: 'file', bytes: blob },
        { path: 'text.txt', type: 'file', bytes: text },
      ],
      tarball,
      0,
    );
    size = (await stat(tarball)).size;
  });
  afterAll(() => tmp.remove());

  it.each([
    ['the default chunk (size unknown)', undefined],
    ['256 KiB chunks (size known)', 'known'],
  ])('writes every byte with %s', async (_label, known) => {
    const staging = path.join(tmp.path, known ?? 'unknown');
    await mkdir(staging);
    const compressed = new DigestStream('sha256');
    const written = await extractInto(
      createReadStream(tarball),
      compressed,
      staging,
      DEFAULT_UNPACK_LIMITS,
      known ? size : undefined,
    );
    expect(compressed.bytes).toBe(size);
    expect(written.get('blob.bin')).toEqual({ size: blob.length, sha256: sha(blob) });
    expect(written.get('text.txt')).toEqual({ size: text.length, sha256: sha(text) });
    expect(sha(await readFile(path.join(staging, 'blob.bin')))).toBe(sha(blob));
    expect(sha(await readFile(path.join(staging, 'text.txt')))).toBe(sha(text));
  });
});
