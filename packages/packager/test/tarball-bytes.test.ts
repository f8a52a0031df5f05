import { createCipheriv, createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type TempDir, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WrittenHashes, writeTarball } from '../src/pack/write-tarball.js';

// The layer bytes are the artifact's identity: batching writes to zlib, hashing while writing and
// skipping the diffId must not move a single byte. The digest below was produced by the packer
// before those changes (one zlib write per tar chunk, every file hashed up front); if it ever has
// to change, every published extension's digest changes with it: say so in a changeset.
const GOLDEN = {
  digest: 'sha256:2ccd9d86382d007a1343ad8e466dd3c14e8b057852b8b2b2ba0b62f6d91aa462',
  size: 3147176,
};

let tmp: TempDir;
const big = { path: 'docs/blob.bin', bytes: Buffer.alloc(0), sha256: '' };

beforeAll(async () => {
  tmp = await tempDir('packager-tarball-bytes-');
  // 3 MiB of seeded keystream: incompressible, so zlib sees many full batches.
  const key = createHash('sha256').update('tarball-bytes').digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  big.bytes = cipher.update(Buffer.alloc(3 * 1024 * 1024 + 123));
  big.sha256 = createHash('sha256').update(big.bytes).digest('hex');
  await mkdir(path.join(tmp.path, 'src', 'docs'), { recursive: true });
  await writeFile(path.join(tmp.path, 'src', big.path), big.bytes);
  await writeFile(path.join(tmp.path, 'src', 'z.txt'), 'last\n'.repeat(1000));
});
afterAll(async () => {
  await tmp.remove();
});

const small = Buffer.from('{"files":[]}\n');
const late = {
  path: 'z.txt',
  size: 5000,
  sha256: createHash('sha256').update('last\n'.repeat(1000)).digest('hex'),
};

describe('writeTarball bytes', () => {
  it('hashing while writing gives the golden bytes, and reports each hash before the next member', async () => {
    const written: WrittenHashes = new Map();
    let seenWhenGenerated: string | undefined;
    const out = path.join(tmp.path, 'one-pass.tar.gz');
    const blob = await writeTarball(
      [
        { path: 'docs', type: 'directory' },
        {
          path: big.path,
          type: 'file',
          source: path.join(tmp.path, 'src', big.path),
          size: big.bytes.length,
          executable: false,
        },
        {
          path: 'oci-manifest.json',
          type: 'file',
          bytes: () => {
            seenWhenGenerated = written.get(big.path);
            return small;
          },
        },
        { ...late, type: 'file', source: path.join(tmp.path, 'src', late.path), executable: true },
      ],
      out,
      0,
      { written },
    );
    expect(seenWhenGenerated).toBe(big.sha256);
    expect(written.get(late.path)).toBe(late.sha256);
    expect({ digest: blob.digest, size: blob.size }).toEqual(GOLDEN);
    expect(blob.diffId).toBeUndefined();
  });

  it('hashes given up front give the same bytes, and the diffId on request', async () => {
    const blob = await writeTarball(
      [
        { path: 'docs', type: 'directory' },
        {
          path: big.path,
          type: 'file',
          source: path.join(tmp.path, 'src', big.path),
          size: big.bytes.length,
          sha256: big.sha256,
          executable: false,
        },
        { path: 'oci-manifest.json', type: 'file', bytes: small },
        { ...late, type: 'file', source: path.join(tmp.path, 'src', late.path), executable: true },
      ],
      path.join(tmp.path, 'up-front.tar.gz'),
      0,
      { diffId: true },
    );
    expect({ digest: blob.digest, size: blob.size }).toEqual(GOLDEN);
    expect(blob.diffId).toBe('sha256:92c938fcc2745f9b3e99652b07c3fabbec16b875e4fc7e6167e599c9c074b451');
  });

  // The walk saw one size (and maybe hashed the file); the bytes read for the member differ: the
  // file changed meanwhile. Small files are read with one call, large ones streamed: both refuse.
  it.each([
    ['a small file, other size', { ...late, size: late.size + 1 }],
    ['a small file, other bytes', { ...late, sha256: '0'.repeat(64) }],
    ['a large file, other size', { path: big.path, size: big.bytes.length - 1 }],
    ['a large file, other bytes', { path: big.path, size: big.bytes.length, sha256: '0'.repeat(64) }],
  ])('%s than the walk saw fails with EXTENSION_CHANGED naming it', async (_label, member) => {
    const attempt = writeTarball(
      [{ ...member, type: 'file', source: path.join(tmp.path, 'src', member.path), executable: false }],
      path.join(tmp.path, `changed-${Math.random().toString(36).slice(2)}.tar.gz`),
      0,
    );
    await expect(attempt).rejects.toMatchObject({
      code: 'EXTENSION_CHANGED',
      message: `${member.path} changed while it was being packaged`,
    });
  });
});
