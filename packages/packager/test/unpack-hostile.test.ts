import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { ProvisioningError } from '@provisioning/schemas';
import { type TempDir, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { unpackExtension } from '../src/unpack/unpack-extension.js';
import {
  gzipTar,
  ociManifestFor,
  paxPath,
  type RawEntry,
  rawHeader,
  sha256Digest,
} from './support/raw-tar.js';
import { rejection } from './support/rejection.js';

let tmp: TempDir;
let work: string;
let target: string;
let outside: string;
let counter = 0;

beforeAll(async () => {
  tmp = await tempDir('packager-unpack-');
});
afterAll(async () => {
  await tmp.remove();
});
beforeEach(async () => {
  // A fresh parent per case: "nothing left behind" means the parent holds only what we put there.
  counter += 1;
  work = path.join(tmp.path, `case-${counter}`, 'workspace');
  outside = path.join(tmp.path, `case-${counter}`, 'outside');
  target = path.join(work, 'ext');
  await mkdir(work, { recursive: true });
  await mkdir(outside, { recursive: true });
});

const good = { name: 'manifest.yaml', content: 'name: hostile\n' };

async function expectRefused(
  archive: Buffer | Readable,
  code: string,
  messagePart: string | RegExp,
  options = {},
) {
  const stream = Buffer.isBuffer(archive) ? Readable.from([archive]) : archive;
  const error = await unpackExtension(stream, target, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProvisioningError);
  const pe = error as ProvisioningError;
  expect(pe.code).toBe(code);
  // a tarball that does not match its own digests is corrupt content (registry); the rest is refused input
  expect(pe.kind).toBe(code === 'DIGEST_MISMATCH' ? 'registry' : 'input');
  expect(pe.hint).toBeTruthy();
  expect(pe.message).toMatch(messagePart);
  expect(pe.message).not.toContain('\n');
  // Nothing inside the target, nothing beside it (no staging dir), nothing outside.
  expect(existsSync(target)).toBe(false);
  expect(await readdir(work)).toEqual([]);
  expect(await readdir(outside)).toEqual([]);
  expect(existsSync(path.join(tmp.path, 'evil'))).toBe(false);
  return pe;
}

describe('unpackExtension refuses hostile archives', () => {
  it('refuses a ../ escape', async () => {
    await expectRefused(
      gzipTar([{ name: '../evil', content: 'x' }]),
      'UNSAFE_ARCHIVE',
      /"\.\.\/evil": path has a "\.\." segment/,
    );
  });

  it('refuses a nested escape that only resolves outside', async () => {
    await expectRefused(
      gzipTar([{ name: 'docs/../../../evil', content: 'x' }]),
      'UNSAFE_ARCHIVE',
      /path has a "\.\." segment/,
    );
  });

  it('refuses an absolute path', async () => {
    await expectRefused(
      gzipTar([{ name: `${outside}/evil`, content: 'x' }]),
      'UNSAFE_ARCHIVE',
      /absolute path/,
    );
  });

  it('refuses a pax path that escapes even when the ustar name is harmless', async () => {
    await expectRefused(
      gzipTar([paxPath('../../evil'), { name: 'harmless.txt', content: 'x' }]),
      'UNSAFE_ARCHIVE',
      /"\.\.\/\.\.\/evil"/,
    );
  });

  it('refuses a NUL byte smuggled in through a pax path', async () => {
    await expectRefused(
      gzipTar([paxPath('docs/a\u0000/../../evil'), { name: 'harmless.txt', content: 'x' }]),
      'UNSAFE_ARCHIVE',
      /NUL byte/,
    );
  });

  it('refuses a symlink, before any file can be written through it', async () => {
    await expectRefused(
      gzipTar([
        { name: 'link', typeflag: '2', linkname: outside },
        { name: 'link/payload', content: 'owned' },
      ]),
      'UNSAFE_ARCHIVE',
      /"link": symbolic link not allowed/,
    );
  });

  it('refuses a symlink chain', async () => {
    await expectRefused(
      gzipTar([
        { name: 'a', typeflag: '2', linkname: 'b' },
        { name: 'b', typeflag: '2', linkname: outside },
        { name: 'a/payload', content: 'owned' },
      ]),
      'UNSAFE_ARCHIVE',
      /symbolic link not allowed/,
    );
  });

  it('refuses a hardlink to a file outside', async () => {
    await expectRefused(
      gzipTar([{ name: 'passwd', typeflag: '1', linkname: '/etc/passwd' }]),
      'UNSAFE_ARCHIVE',
      /"passwd": hard link not allowed/,
    );
  });

  it('refuses device files and fifos', async () => {
    await expectRefused(
      gzipTar([{ name: 'null', typeflag: '3' }]),
      'UNSAFE_ARCHIVE',
      /device file not allowed/,
    );
    await expectRefused(
      gzipTar([{ name: 'disk', typeflag: '4' }]),
      'UNSAFE_ARCHIVE',
      /device file not allowed/,
    );
    await expectRefused(gzipTar([{ name: 'pipe', typeflag: '6' }]), 'UNSAFE_ARCHIVE', /fifo/);
  });

  it('refuses a GNU long name that escapes', async () => {
    await expectRefused(
      gzipTar([
        { name: '././@LongLink', typeflag: 'L', content: '../../evil\u0000' },
        { name: 'harmless.txt', content: 'x' },
      ]),
      'UNSAFE_ARCHIVE',
      /"\.\.\/\.\.\/evil": path has a "\.\." segment/,
    );
  });

  it('refuses GNU sparse and contiguous files', async () => {
    await expectRefused(
      gzipTar([{ name: 'sparse.img', typeflag: 'S', content: 'x' }]),
      'UNSAFE_ARCHIVE',
      /"sparse.img"/,
    );
    await expectRefused(
      gzipTar([{ name: 'contig.bin', typeflag: '7', content: 'x' }]),
      'UNSAFE_ARCHIVE',
      /"contig.bin": entry type "contiguous-file" not allowed/,
    );
  });

  it('refuses duplicate entries and case-insensitive aliases', async () => {
    await expectRefused(
      gzipTar([good, { name: 'a.txt', content: '1' }, { name: 'a.txt', content: '2' }]),
      'UNSAFE_ARCHIVE',
      /"a.txt": duplicate entry/,
    );
    await expectRefused(
      gzipTar([
        { name: 'README.md', content: '1' },
        { name: 'readme.md', content: '2' },
      ]),
      'UNSAFE_ARCHIVE',
      /"readme.md": collides with "README.md"/,
    );
  });

  it('refuses a file nested below a file', async () => {
    await expectRefused(
      gzipTar([
        { name: 'a', content: '1' },
        { name: 'a/b', content: '2' },
      ]),
      'UNSAFE_ARCHIVE',
      /parent path is a file/,
    );
  });

  it.each([
    ['a colon', 'c:evil', /":"/],
    ['a backslash', 'dir\\..\\evil', /backslash/],
    ['a control character', 'bad\u001bname', /control character/],
    ['a bidi override', 'evil\u202etxt.md', /bidirectional/],
    ['a non-NFC name', 'cafe\u0301.txt', /NFC/],
    ['an empty segment', 'a//b', /empty segment/],
  ])('refuses a name with %s', async (_label, name, reason) => {
    await expectRefused(gzipTar([{ name, content: 'x' }]), 'UNSAFE_ARCHIVE', reason);
  });

  it('refuses an entry whose declared size is huge before reading it', async () => {
    const header = rawHeader({ name: 'huge.bin' }, 10 * 1024 ** 3);
    const archive = await gzipStream(Readable.from([header, Buffer.alloc(4096)]));
    await expectRefused(
      archive,
      'ARCHIVE_LIMIT',
      /"huge.bin" exceeds a safety limit: file of 10737418240 bytes/,
    );
  });

  it('refuses a decompression bomb by its ratio while streaming', async () => {
    // 48 MiB of zeros: below the per-file and total caps, but ~1000:1 compressed.
    const size = 48 * 1024 * 1024;
    const header = rawHeader({ name: 'bomb.bin' }, size);
    const archive = await gzipStream(zeros(header, size));
    expect(size / archive.length).toBeGreaterThan(500);
    await expectRefused(archive, 'ARCHIVE_LIMIT', /compression ratio above 500:1/, {
      limits: { maxRatio: 500 },
    });
  });

  it('refuses more entries than the limit', async () => {
    const dirs: RawEntry[] = Array.from({ length: 30 }, (_, i) => ({ name: `d${i}/`, typeflag: '5' }));
    await expectRefused(gzipTar(dirs), 'ARCHIVE_LIMIT', /more than 20 entries/, {
      limits: { maxEntries: 20 },
    });
  });

  it('refuses a total size above the limit', async () => {
    const files = Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, content: Buffer.alloc(1000, 1) }));
    await expectRefused(gzipTar(files), 'ARCHIVE_LIMIT', /total size above 3000 bytes/, {
      limits: { maxTotalBytes: 3000 },
    });
  });

  it('refuses a layer whose digest does not match, leaving an existing target untouched', async () => {
    const files = [good];
    const archive = gzipTar([...files, ociManifestFor(files)]);
    await mkdir(target);
    await writeFile(path.join(target, 'keep.txt'), 'mine');
    const wrong = `sha256:${'0'.repeat(64)}`;
    const error = await unpackExtension(Readable.from([archive]), target, {
      expectedDigest: wrong,
      overwrite: true,
    }).then(
      () => undefined,
      (e: unknown) => e as ProvisioningError,
    );
    expect(error?.code).toBe('DIGEST_MISMATCH');
    expect(error?.message).toContain(wrong);
    expect(error?.message).toContain(sha256Digest(archive));
    expect(await readdir(target)).toEqual(['keep.txt']);
    expect(await readFile(path.join(target, 'keep.txt'), 'utf8')).toBe('mine');
    expect(await readdir(work)).toEqual(['ext']);
  });

  it('refuses a file whose content differs from oci-manifest.json', async () => {
    const listed = ociManifestFor([{ name: 'manifest.yaml', content: 'name: original\n' }]);
    await expectRefused(gzipTar([good, listed]), 'DIGEST_MISMATCH', /file "manifest.yaml": expected sha256:/);
  });

  it('refuses a file missing from oci-manifest.json, and a listed file missing from the archive', async () => {
    await expectRefused(
      gzipTar([good, { name: 'extra.sh', content: 'rm -rf ~' }, ociManifestFor([good])]),
      'UNSAFE_ARCHIVE',
      /"extra.sh": not listed in oci-manifest.json/,
    );
    await expectRefused(
      gzipTar([ociManifestFor([good, { name: 'gone.txt', content: 'x' }])]),
      'UNSAFE_ARCHIVE',
      /listed in oci-manifest.json but missing/,
    );
  });

  it('refuses an archive without oci-manifest.json', async () => {
    await expectRefused(gzipTar([good]), 'UNSAFE_ARCHIVE', /"oci-manifest.json": missing/);
  });

  it('refuses garbage and truncated gzip', async () => {
    await expectRefused(
      Buffer.from('this is not gzip at all'),
      'UNSAFE_ARCHIVE',
      /not a valid extension tarball/,
    );
    const archive = gzipTar([good, ociManifestFor([good])]);
    await expectRefused(
      archive.subarray(0, archive.length - 20),
      'UNSAFE_ARCHIVE',
      /not a valid extension tarball/,
    );
  });

  it('passes a source stream failure through and leaves nothing behind', async () => {
    const files = [good, { name: 'docs/big.txt', content: Buffer.alloc(200_000, 7) }];
    const archive = gzipTar([...files, ociManifestFor(files)]);
    const broken = new Readable({
      read() {
        this.push(archive.subarray(0, Math.floor(archive.length / 2)));
        this.destroy(new Error('connection reset by peer'));
      },
    });
    const error = await unpackExtension(broken, target).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/connection reset by peer/);
    expect(existsSync(target)).toBe(false);
    expect(await readdir(work)).toEqual([]);
  });

  it('refuses an invalid expected digest before touching the disk', async () => {
    const error = await rejection(
      unpackExtension(Readable.from([Buffer.alloc(0)]), target, { expectedDigest: 'sha256:../../x' }),
    );
    expect(error.code).toBe('DIGEST_INVALID');
    expect(await readdir(work)).toEqual([]);
  });
});

describe('unpackExtension accepts a well-formed archive', () => {
  it('extracts, verifies and moves into place; replaces only with overwrite', async () => {
    const files = [good, { name: 'scripts/install.nu', content: 'print hi\n' }];
    const archive = gzipTar([
      { name: 'scripts/', typeflag: '5' },
      { name: 'manifest.yaml', content: good.content },
      { name: 'scripts/install.nu', content: files[1]!.content, mode: 0o755 },
      ociManifestFor(files),
    ]);
    const result = await unpackExtension(Readable.from([archive]), target, {
      expectedDigest: sha256Digest(archive),
      expectedSize: archive.length,
    });
    expect(result.digest).toBe(sha256Digest(archive));
    expect(result.files).toBe(3);
    expect(await readFile(path.join(target, 'scripts/install.nu'), 'utf8')).toBe('print hi\n');
    expect(await readdir(work)).toEqual(['ext']);

    const again = await rejection(unpackExtension(Readable.from([archive]), target));
    expect(again.code).toBe('TARGET_EXISTS');

    await writeFile(path.join(target, 'stale.txt'), 'old');
    await unpackExtension(Readable.from([archive]), target, { overwrite: true });
    expect((await readdir(target)).sort()).toEqual(['manifest.yaml', 'oci-manifest.json', 'scripts']);
    expect(await readdir(work)).toEqual(['ext']);
  });
});

function zeros(header: Buffer, size: number): Readable {
  const chunk = Buffer.alloc(1024 * 1024);
  return Readable.from(
    (function* () {
      yield header;
      for (let left = size; left > 0; left -= chunk.length)
        yield chunk.subarray(0, Math.min(chunk.length, left));
      yield Buffer.alloc(1024);
    })(),
  );
}

async function gzipStream(source: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source.pipe(createGzip({ level: 9 }))) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
