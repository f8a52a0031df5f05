/** Our layouts against the real skopeo and umoci, in both directions. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MediaTypes } from '@provisioning/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciLayout } from '../src/index.js';
import {
  makeArtifact,
  makeIndex,
  makeTempDir,
  pushImage,
  readAll,
  skopeo,
  umoci,
} from '../src/layout/test-support/fixtures.js';

let dir: { path: string; cleanup(): Promise<void> };
beforeAll(async () => {
  dir = await makeTempDir('layout-interop-');
});
afterAll(async () => {
  await dir.cleanup();
});

describe('layout interop', () => {
  it('skopeo and umoci read a layout we wrote', async () => {
    const path = join(dir.path, 'ours');
    const layout = await OciLayout.open(path, { create: true });
    const artifact = makeArtifact('ours');
    await pushImage(layout, artifact, '1.0.0');
    const raw = await skopeo('inspect', '--raw', `oci:${path}:1.0.0`);
    expect(Buffer.from(raw).equals(artifact.manifest.bytes)).toBe(true);
    const listed = await umoci('ls', '--layout', path);
    expect(listed.trim().split('\n')).toEqual(['1.0.0']);
    // skopeo copies it out of our layout into its own with the digest unchanged
    const copyPath = join(dir.path, 'skopeo-copy');
    await skopeo('copy', `oci:${path}:1.0.0`, `oci:${copyPath}:copied`);
    const theirs = await OciLayout.open(copyPath);
    expect(await theirs.resolve('copied')).toMatchObject({ digest: artifact.manifest.desc.digest });
  });

  it('skopeo reads a multi-manifest index we wrote', async () => {
    const path = join(dir.path, 'multi');
    const layout = await OciLayout.open(path, { create: true });
    const images = [makeArtifact('m1'), makeArtifact('m2')];
    for (const image of images) await pushImage(layout, image);
    const index = makeIndex(images);
    await layout.push(index.desc, index.bytes);
    await layout.tag(index.desc, 'multi');
    const raw = await skopeo('inspect', '--raw', `oci:${path}:multi`);
    expect(JSON.parse(raw).manifests).toHaveLength(2);
    const out = join(dir.path, 'multi-copy');
    await skopeo('copy', '--all', `oci:${path}:multi`, `oci:${out}:multi`);
    expect((await (await OciLayout.open(out)).resolve('multi')).digest).toBe(index.desc.digest);
  });

  it('reads an image umoci built, with a real filesystem layer', async () => {
    const path = join(dir.path, 'umoci');
    await umoci('init', '--layout', path);
    await umoci('new', '--image', `${path}:v1`);
    const src = join(dir.path, 'content');
    await mkdir(src);
    await writeFile(join(src, 'hello.txt'), 'hello from umoci\n');
    await umoci('insert', '--rootless', '--image', `${path}:v1`, join(src, 'hello.txt'), '/hello.txt');
    const layout = await OciLayout.open(path);
    expect(await layout.tags()).toEqual(['v1']);
    const desc = await layout.resolve('v1');
    expect(desc.mediaType).toBe(MediaTypes.ociImageManifest);
    const { manifest } = await layout.readManifest(desc);
    if (!('layers' in manifest)) throw new Error('expected an image manifest');
    expect(manifest.layers).toHaveLength(1);
    const layer = await readAll(await layout.fetch(manifest.layers[0]!));
    expect(layer.length).toBe(manifest.layers[0]!.size);
    // tagging in a foreign layout keeps it readable by umoci
    await layout.tag(desc, 'v2');
    expect((await umoci('ls', '--layout', path)).trim().split('\n').sort()).toEqual(['v1', 'v2']);
    await umoci('gc', '--layout', path);
    expect(await layout.exists(manifest.layers[0]!)).toBe(true);
  });

  it('lets skopeo add a tag to a layout of ours without losing ours', async () => {
    // skopeo writing into an existing layout of ours, next to our own tag
    const path = join(dir.path, 'shared');
    const layout = await OciLayout.open(path, { create: true });
    const a = makeArtifact('shared-a');
    await pushImage(layout, a, 'a');
    const other = join(dir.path, 'other');
    const b = makeArtifact('shared-b');
    await pushImage(await OciLayout.open(other, { create: true }), b, 'b');
    await skopeo('copy', `oci:${other}:b`, `oci:${path}:b`);
    expect((await layout.tags()).sort()).toEqual(['a', 'b']);
    expect((await layout.resolve('b')).digest).toBe(b.manifest.desc.digest);
    expect((await readAll(await layout.fetch(b.layers[0]!.desc))).equals(b.layers[0]!.bytes)).toBe(true);
  });
});
