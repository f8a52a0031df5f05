import { readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Annotations, ProvisioningError } from '@provisioning/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from './file-lock.js';
import { OciLayout } from './oci-layout.js';
import { blob, makeArtifact, makeIndex, makeTempDir, pushImage, readAll } from './test-support/fixtures.js';

let dir: { path: string; cleanup(): Promise<void> };
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await dir.cleanup();
});

async function expectCode(promise: Promise<unknown>, code: string): Promise<ProvisioningError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProvisioningError);
  expect((error as ProvisioningError).code).toBe(code);
  return error as ProvisioningError;
}

describe('OciLayout', () => {
  it('parses manifest bytes the caller holds instead of reading them back, and checks them', async () => {
    const layout = await OciLayout.open(join(dir.path, 'l'), { create: true });
    const image = makeArtifact('held');
    await pushImage(layout, image, '1.0.0');
    // the file is gone: only the held bytes can answer, so they are what was parsed
    await rm(layout.blobPath(image.manifest.desc.digest));
    const { manifest, bytes } = await layout.readManifest(image.manifest.desc, image.manifest.bytes);
    expect('config' in manifest && manifest.config.digest).toBe(image.config.desc.digest);
    expect(bytes.equals(image.manifest.bytes)).toBe(true);
    await expectCode(layout.readManifest(image.manifest.desc), 'BLOB_NOT_FOUND');
    const other = makeArtifact('other').manifest.bytes;
    const error = await expectCode(
      layout.readManifest({ ...image.manifest.desc, size: other.length }, other),
      'DIGEST_MISMATCH',
    );
    expect(error.message).toContain(image.manifest.desc.digest);
  });

  it('creates the spec files and refuses to open a directory that is not a layout', async () => {
    await expectCode(OciLayout.open(join(dir.path, 'nope')), 'LAYOUT_NOT_FOUND');
    const layout = await OciLayout.open(join(dir.path, 'l'), { create: true });
    expect(JSON.parse(await readFile(join(layout.path, 'oci-layout'), 'utf8'))).toEqual({
      imageLayoutVersion: '1.0.0',
    });
    expect(JSON.parse(await readFile(join(layout.path, 'index.json'), 'utf8'))).toMatchObject({
      schemaVersion: 2,
      manifests: [],
    });
    await writeFile(join(layout.path, 'oci-layout'), '{"imageLayoutVersion":"2.0.0"}');
    const error = await expectCode(OciLayout.open(layout.path), 'LAYOUT_INVALID');
    expect(error.message).toContain(join(layout.path, 'oci-layout'));
  });

  it('round-trips blobs from buffers and streams, idempotently', async () => {
    const layout = await OciLayout.open(dir.path, { create: true });
    const big = blob(Buffer.alloc(3 * 1024 * 1024, 7));
    await layout.push(big.desc, Readable.from([big.bytes.subarray(0, 100), big.bytes.subarray(100)]));
    await layout.push(big.desc, Readable.from([big.bytes])); // already there: no error, no rewrite
    expect(await layout.exists(big.desc)).toBe(true);
    expect((await readAll(await layout.fetch(big.desc))).equals(big.bytes)).toBe(true);
    const small = blob('hello');
    await layout.push(small.desc, small.bytes);
    expect((await readFile(layout.blobPath(small.desc.digest))).toString()).toBe('hello');
    expect(await readdir(join(layout.path, '.ingest'))).toEqual([]);
  });

  it('makes each directory once, and again when it was removed meanwhile', async () => {
    const layout = await OciLayout.open(dir.path, { create: true });
    await layout.push(blob('one').desc, blob('one').bytes);
    await rm(join(layout.path, 'blobs'), { recursive: true });
    const two = blob('two');
    await layout.push(two.desc, two.bytes);
    expect((await readFile(layout.blobPath(two.desc.digest))).toString()).toBe('two');
  });

  it('refuses content that does not match its descriptor and leaves nothing behind', async () => {
    const layout = await OciLayout.open(dir.path, { create: true });
    const good = blob('good bytes');
    await expectCode(layout.push(good.desc, Readable.from([Buffer.from('evil bytes')])), 'DIGEST_MISMATCH');
    await expectCode(
      layout.push(good.desc, Readable.from([Buffer.from('good bytes and more')])),
      'DIGEST_MISMATCH',
    );
    await expectCode(layout.push(good.desc, Buffer.from('evil bytes')), 'DIGEST_MISMATCH');
    expect(await layout.exists(good.desc)).toBe(false);
    expect(await readdir(join(layout.path, '.ingest'))).toEqual([]);
  });

  it('refuses a corrupted blob when reading it', async () => {
    const layout = await OciLayout.open(dir.path, { create: true });
    const b = blob('original content');
    await layout.push(b.desc, b.bytes);
    await writeFile(layout.blobPath(b.desc.digest), 'tampered content');
    await expect(readAll(await layout.fetch(b.desc))).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    await writeFile(layout.blobPath(b.desc.digest), 'short');
    await expectCode(layout.fetch(b.desc), 'DIGEST_MISMATCH');
  });

  it("keeps a corrupted blob's error for a consumer that attaches late (no uncaught exception)", async () => {
    const layout = await OciLayout.open(dir.path, { create: true });
    const b = blob('original content');
    await layout.push(b.desc, b.bytes);
    await writeFile(layout.blobPath(b.desc.digest), 'tampered content');
    const stream = await layout.fetch(b.desc);
    // the whole small file is read and found wrong before anyone listens (as when a push awaits a file open)
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stream.errored).toMatchObject({ code: 'DIGEST_MISMATCH' });
    await expect(readAll(stream)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
  });

  it('validates digests before building any path', async () => {
    const layout = await OciLayout.open(dir.path, { create: true });
    for (const digest of [
      'sha256:../../etc/passwd',
      'sha256/../x',
      `md5:${'a'.repeat(32)}`,
      `sha256:${'A'.repeat(64)}`,
      '',
    ]) {
      await expectCode(layout.fetch({ mediaType: 'x', digest, size: 1 }), 'DIGEST_INVALID');
      await expectCode(layout.push({ mediaType: 'x', digest, size: 1 }, Buffer.from('x')), 'DIGEST_INVALID');
    }
    await expectCode(layout.resolve('sha256:nothex'), 'DIGEST_INVALID');
    await expectCode(layout.resolve('../etc'), 'TAG_INVALID');
  });

  it('tags, retags, untags and resolves', async () => {
    const layout = await OciLayout.open(dir.path, { create: true });
    const a = makeArtifact('a');
    const b = makeArtifact('b');
    await pushImage(layout, a, '1.0.0');
    await pushImage(layout, b, 'latest');
    await layout.tag(a.manifest.desc, 'latest'); // retag replaces
    expect(await layout.tags()).toEqual(['1.0.0', 'latest']);
    expect(await layout.resolve('latest')).toEqual(a.manifest.desc);
    // b is no longer tagged and was never recorded: resolvable by digest from its blob
    expect(await layout.resolve(b.manifest.desc.digest)).toEqual({
      mediaType: b.manifest.desc.mediaType,
      digest: b.manifest.desc.digest,
      size: b.manifest.desc.size,
      artifactType: 'application/vnd.provisioning.extension.v1',
    });
    const index = JSON.parse(await readFile(join(layout.path, 'index.json'), 'utf8'));
    expect(
      index.manifests.map(
        (m: { annotations?: Record<string, string> }) => m.annotations?.[Annotations.refName],
      ),
    ).toEqual(['1.0.0', 'latest']);
    expect(await layout.untag('1.0.0')).toBe(true);
    expect(await layout.untag('1.0.0')).toBe(false);
    expect(await layout.tags()).toEqual(['latest']);
    await expectCode(layout.resolve('1.0.0'), 'MANIFEST_NOT_FOUND');
    await expectCode(layout.tag(makeArtifact('missing').manifest.desc, 'x'), 'MANIFEST_NOT_FOUND');
    await expectCode(layout.tag(a.manifest.desc, 'bad tag'), 'TAG_INVALID');
  });

  it('garbage-collects what no index entry reaches, keeping index children', async () => {
    const layout = await OciLayout.open(dir.path, { create: true });
    const keep1 = makeArtifact('keep1');
    const keep2 = makeArtifact('keep2');
    const drop = makeArtifact('drop');
    await pushImage(layout, keep1);
    await pushImage(layout, keep2);
    const index = makeIndex([keep1, keep2]);
    await layout.push(index.desc, index.bytes);
    await layout.tag(index.desc, 'multi');
    await pushImage(layout, drop, 'gone');
    await layout.untag('gone');
    // untag keeps the manifest recorded: nothing is garbage yet
    expect((await layout.gc({ graceMs: 0 })).removed).toEqual([]);
    await layout.delete(drop.manifest.desc);
    const young = await layout.gc();
    expect(young.removed).toEqual([]); // within the grace period
    const result = await layout.gc({ graceMs: 0 });
    expect(result.removed).toEqual([drop.config.desc.digest, drop.layers[0]!.desc.digest].sort());
    expect(result.freedBytes).toBe(drop.config.desc.size + drop.layers[0]!.desc.size);
    for (const d of [keep1, keep2]) {
      expect(await layout.exists(d.layers[0]!.desc)).toBe(true);
      expect(await layout.exists(d.manifest.desc)).toBe(true);
    }
  });

  it('protects a blob that is pushed again from a concurrent gc', async () => {
    const layout = await OciLayout.open(dir.path, { create: true });
    const b = blob('old unreferenced blob');
    await layout.push(b.desc, b.bytes);
    const old = new Date(Date.now() - 3600_000);
    await utimes(layout.blobPath(b.desc.digest), old, old);
    await layout.push(b.desc, b.bytes); // a writer about to reference it
    expect((await layout.gc({ graceMs: 60_000 })).removed).toEqual([]);
    await utimes(layout.blobPath(b.desc.digest), old, old);
    expect((await layout.gc({ graceMs: 60_000 })).removed).toEqual([b.desc.digest]);
  });

  it('removes abandoned temp files in gc', async () => {
    const layout = await OciLayout.open(dir.path, { create: true });
    const temp = await layout.ingestPath();
    await writeFile(temp, 'partial upload');
    const old = new Date(Date.now() - 3600_000);
    await utimes(temp, old, old);
    await layout.gc();
    expect(await readdir(join(layout.path, '.ingest'))).toEqual([]);
  });

  it('lists manifests and finds referrers by subject and artifactType', async () => {
    const layout = await OciLayout.open(dir.path, { create: true });
    const subject = makeArtifact('subject');
    await pushImage(layout, subject, 'v1');
    const sig = makeArtifact('sig', {
      artifactType: 'application/vnd.example.signature',
      subject: subject.manifest.desc,
      annotations: { 'org.example': 'yes' },
    });
    const sbom = makeArtifact('sbom', {
      artifactType: 'application/spdx+json',
      subject: subject.manifest.desc,
    });
    for (const r of [sig, sbom]) {
      await pushImage(layout, r);
      await layout.addManifest(r.manifest.desc);
    }
    await layout.addManifest(sig.manifest.desc); // no duplicate
    expect((await layout.listManifests()).map((m) => m.digest)).toEqual([
      subject.manifest.desc.digest,
      sig.manifest.desc.digest,
      sbom.manifest.desc.digest,
    ]);
    const all = await layout.referrers(subject.manifest.desc.digest);
    expect(all.map((r) => r.artifactType)).toEqual([
      'application/vnd.example.signature',
      'application/spdx+json',
    ]);
    expect(all[0]!.annotations).toEqual({ 'org.example': 'yes' });
    const filtered = await layout.referrers(subject.manifest.desc, 'application/spdx+json');
    expect(filtered.map((r) => r.digest)).toEqual([sbom.manifest.desc.digest]);
  });
});

describe('index lock', () => {
  it('keeps a long-held lock fresh so other writers wait instead of breaking it', async () => {
    const lockPath = join(dir.path, 'held.lock');
    const staleMs = 150;
    const order: string[] = [];
    const first = withFileLock(
      lockPath,
      async () => {
        const before = (await stat(lockPath)).mtimeMs;
        await new Promise((resolve) => setTimeout(resolve, staleMs * 3));
        expect((await stat(lockPath)).mtimeMs).toBeGreaterThan(before);
        order.push('first');
      },
      { staleMs },
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = withFileLock(lockPath, async () => void order.push('second'), {
      staleMs,
      timeoutMs: 5000,
    });
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
  });
});
