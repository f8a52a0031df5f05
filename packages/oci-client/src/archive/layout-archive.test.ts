import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciLayout } from '../layout/oci-layout.js';
import type { Descriptor } from '../types.js';
import { LayoutArchive, splitReference } from './layout-archive.js';
import { writeLayoutArchive } from './layout-archive-writer.js';
import { decodeHeader, encodeHeader } from './tar-header.js';

const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
let dir: string;
let layout: OciLayout;
let manifest: Descriptor;
let layer: Descriptor;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archive-'));
  layout = await OciLayout.open(join(dir, 'layout'), { create: true });
  const config = Buffer.from('{}');
  const layerBytes = Buffer.alloc(20_000, 'x');
  const configDesc = { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256(config), size: 2 };
  layer = { mediaType: 'application/octet-stream', digest: sha256(layerBytes), size: layerBytes.length };
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: configDesc,
      layers: [layer],
    }),
  );
  manifest = {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: sha256(bytes),
    size: bytes.length,
  };
  await layout.push(configDesc, config);
  await layout.push(layer, layerBytes);
  await layout.push(manifest, bytes, { tag: '1.0.0' });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('tar headers', () => {
  it('round-trip names and sizes, including sizes past the octal limit', () => {
    for (const size of [0, 1, 511, 8 * 1024 ** 3 - 1, 8 * 1024 ** 3, 3 * 1024 ** 4]) {
      expect(decodeHeader(encodeHeader('blobs/sha256/abc', size, 'file'), 'x')).toEqual({
        name: 'blobs/sha256/abc',
        size,
        type: 'file',
      });
    }
  });

  it('a damaged header fails its checksum', () => {
    const block = encodeHeader('index.json', 10, 'file');
    block[3] = 0x41;
    expect(() => decodeHeader(block, 'f.tar')).toThrow(/checksum/);
  });
});

describe('layout archives', () => {
  const reference = 'harbor.example.com/ns/redis:1.0.0';

  it('write → read: tags by original repository, blobs verified, the same bytes twice', async () => {
    const file = join(dir, 'a.tar');
    const artifacts = [{ reference, root: manifest, source: layout }];
    const written = await writeLayoutArchive(file, artifacts);
    expect(written).toMatchObject({ files: [file], artifacts: 1, blobs: 3 });
    await writeLayoutArchive(join(dir, 'b.tar'), artifacts);
    expect(sha256(await readFile(join(dir, 'b.tar')))).toBe(sha256(await readFile(file)));

    const archive = await LayoutArchive.open(file);
    expect(archive.repositories()).toEqual(['harbor.example.com/ns/redis']);
    const repo = archive.repository('harbor.example.com/ns/redis');
    expect(await repo.tags()).toEqual(['1.0.0']);
    expect((await repo.resolve('1.0.0')).digest).toBe(manifest.digest);
    expect((await repo.resolve(manifest.digest)).mediaType).toBe(manifest.mediaType);
    const chunks: Buffer[] = [];
    for await (const chunk of await repo.fetch(layer)) chunks.push(chunk as Buffer);
    expect(sha256(Buffer.concat(chunks))).toBe(layer.digest);
    await expect(repo.resolve('2.0.0')).rejects.toMatchObject({ code: 'MANIFEST_NOT_FOUND' });
  });

  it('a blob altered in the archive is refused while it streams', async () => {
    const file = join(dir, 'tampered.tar');
    await writeLayoutArchive(file, [{ reference, root: manifest, source: layout }]);
    const bytes = await readFile(file);
    const at = bytes.indexOf(Buffer.alloc(64, 'x'));
    bytes[at] = 0x79;
    await writeFile(file, bytes);
    const repo = (await LayoutArchive.open(file)).repository('harbor.example.com/ns/redis');
    const read = async () => {
      for await (const _ of await repo.fetch(layer)) {
        // drain
      }
    };
    await expect(read()).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
  });

  it('parts read as one archive; a failed write leaves no file', async () => {
    const file = join(dir, 'parts.tar');
    const written = await writeLayoutArchive(file, [{ reference, root: manifest, source: layout }], {
      maxPartSize: 8192,
    });
    expect(written.files.length).toBeGreaterThan(2);
    const archive = await LayoutArchive.open(`${file}.000`);
    expect(archive.paths).toEqual(written.files);
    const missing = { ...layer, digest: sha256(Buffer.from('absent')) };
    const broken = join(dir, 'broken.tar');
    const bad = {
      reference,
      root: manifest,
      source: { ...layout, fetch: () => layout.fetch(missing), location: 'x' },
    };
    await expect(writeLayoutArchive(broken, [bad as never])).rejects.toBeDefined();
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(dir)).filter((f) => f.startsWith('broken.tar'))).toEqual([]);
  });

  it('splitReference takes the tag after the last slash', () => {
    expect(splitReference('127.0.0.1:5000/ns/redis:1.0.0')).toEqual({
      repository: '127.0.0.1:5000/ns/redis',
      tag: '1.0.0',
    });
    expect(splitReference('127.0.0.1:5000/ns/redis')).toBeUndefined();
  });
});
