import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OciLayout } from '../layout/oci-layout.js';
import { makeArtifact, makeIndex, makeTempDir, pushImage, readAll } from '../layout/test-support/fixtures.js';
import { type CopyProgressEvent, copy } from './copy.js';

let dir: { path: string; cleanup(): Promise<void> };
let src: OciLayout;
let dst: OciLayout;
beforeEach(async () => {
  dir = await makeTempDir('copy-test-');
  src = await OciLayout.open(join(dir.path, 'src'), { create: true });
  dst = await OciLayout.open(join(dir.path, 'dst'), { create: true });
});
afterEach(async () => {
  await dir.cleanup();
});

describe('copy between layouts', () => {
  it('copies an artifact with its blobs, preserving the digest, and skips what exists', async () => {
    const artifact = makeArtifact('a');
    await pushImage(src, artifact, '1.0.0');
    const events: CopyProgressEvent[] = [];
    const desc = await copy(src, '1.0.0', dst, 'copied', { onProgress: (e) => events.push(e) });
    expect(desc).toEqual(artifact.manifest.desc);
    expect(await dst.resolve('copied')).toEqual(artifact.manifest.desc);
    const layer = artifact.layers[0]!;
    expect((await readAll(await dst.fetch(layer.desc))).equals(layer.bytes)).toBe(true);
    expect(events.filter((e) => e.type === 'blob-copied')).toHaveLength(2);
    const lastBytes = events
      .filter((e) => e.type === 'bytes' && e.descriptor.digest === layer.desc.digest)
      .at(-1);
    expect(lastBytes).toMatchObject({ transferred: layer.desc.size });
    expect(events.at(-1)).toMatchObject({ type: 'manifest-copied' });

    const again: CopyProgressEvent[] = [];
    await copy(src, artifact.manifest.desc.digest, dst, 'again', { onProgress: (e) => again.push(e) });
    expect(again.map((e) => e.type)).toEqual(['manifest-exists']);
    expect(await dst.tags()).toEqual(['copied', 'again']);
  });

  it('copies an index with children before the parent and shared blobs once', async () => {
    const children = [makeArtifact('x'), makeArtifact('y')];
    for (const child of children) await pushImage(src, child);
    const index = makeIndex(children);
    await src.push(index.desc, index.bytes);
    await src.tag(index.desc, 'multi');
    const order: string[] = [];
    await copy(src, 'multi', dst, 'multi', {
      concurrency: 1,
      onProgress: (e) => {
        if (e.type === 'manifest-copied') order.push(e.descriptor.digest);
      },
    });
    expect(order.at(-1)).toBe(index.desc.digest);
    expect(order.slice(0, 2).sort()).toEqual(children.map((c) => c.manifest.desc.digest).sort());
    for (const child of children) expect(await dst.exists(child.layers[0]!.desc)).toBe(true);
    // everything in dst is reachable from the tag
    expect((await dst.gc({ graceMs: 0 })).removed).toEqual([]);
  });

  it('copies by digest without tagging but keeps the manifest recorded', async () => {
    const artifact = makeArtifact('d');
    await pushImage(src, artifact, 'v');
    const digest = artifact.manifest.desc.digest;
    await copy(src, 'v', dst, digest);
    expect(await dst.tags()).toEqual([]);
    expect((await dst.listManifests()).map((m) => m.digest)).toEqual([digest]);
    await expect(copy(src, 'v', dst, `sha256:${'0'.repeat(64)}`)).rejects.toMatchObject({
      code: 'COPY_DIGEST_MISMATCH',
    });
    await expect(copy(src, 'v', dst, 'bad tag')).rejects.toMatchObject({ code: 'COPY_REFERENCE_INVALID' });
  });

  it('refuses a tampered source blob and leaves no manifest behind', async () => {
    const artifact = makeArtifact('t');
    await pushImage(src, artifact, 'v');
    const layer = artifact.layers[0]!;
    const tampered = Buffer.from(layer.bytes);
    tampered[0] = tampered[0]! ^ 1;
    await writeFile(src.blobPath(layer.desc.digest), tampered);
    await expect(copy(src, 'v', dst, 'v')).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    expect(await dst.exists(artifact.manifest.desc)).toBe(false);
    expect(await dst.exists(layer.desc)).toBe(false);
    expect(await dst.tags()).toEqual([]);
  });

  it('copies referrers when asked', async () => {
    const subject = makeArtifact('s');
    await pushImage(src, subject, 'v');
    const sig = makeArtifact('sig', {
      artifactType: 'application/vnd.example.sig',
      subject: subject.manifest.desc,
    });
    await pushImage(src, sig);
    await src.addManifest(sig.manifest.desc);
    const sigOfSig = makeArtifact('sig2', {
      artifactType: 'application/vnd.example.sig',
      subject: sig.manifest.desc,
    });
    await pushImage(src, sigOfSig);
    await src.addManifest(sigOfSig.manifest.desc);

    await copy(src, 'v', dst, 'plain');
    expect(await dst.referrers(subject.manifest.desc)).toEqual([]);
    await copy(src, 'v', dst, 'with', { referrers: true });
    expect((await dst.referrers(subject.manifest.desc)).map((r) => r.digest)).toEqual([
      sig.manifest.desc.digest,
    ]);
    expect((await dst.referrers(sig.manifest.desc)).map((r) => r.digest)).toEqual([
      sigOfSig.manifest.desc.digest,
    ]);
  });

  it('caps index nesting depth', async () => {
    let inner = makeArtifact('leaf');
    await pushImage(src, inner);
    let top = inner.manifest;
    for (let i = 0; i < 4; i++) {
      const index = makeIndex([inner]);
      await src.push(index.desc, index.bytes);
      top = index;
      inner = { manifest: index, config: inner.config, layers: [] };
    }
    await src.tag(top.desc, 'deep');
    await expect(copy(src, 'deep', dst, 'deep', { maxDepth: 2 })).rejects.toMatchObject({
      code: 'COPY_DEPTH_EXCEEDED',
    });
    await copy(src, 'deep', dst, 'deep');
    expect((await dst.resolve('deep')).digest).toBe(top.desc.digest);
  });
});
