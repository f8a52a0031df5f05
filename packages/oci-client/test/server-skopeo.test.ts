/** Real clients against the built-in registry: skopeo pushes, inspects, lists, copies and deletes. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LayoutStore, OciLayout, type RunningRegistryServer, startRegistryServer } from '../src/index.js';
import {
  makeArtifact,
  makeIndex,
  makeTempDir,
  pushImage,
  skopeo,
  umoci,
} from '../src/layout/test-support/fixtures.js';

let dir: { path: string; cleanup(): Promise<void> };
let server: RunningRegistryServer;
let host: string;
const PUSH = ['--dest-tls-verify=false'];
const PULL = ['--src-tls-verify=false'];

beforeAll(async () => {
  dir = await makeTempDir('server-skopeo-');
  server = await startRegistryServer({ root: join(dir.path, 'registry'), port: 0 });
  host = new URL(server.url).host;
});
afterAll(async () => {
  await server.close();
  await dir.cleanup();
});

describe('built-in registry with skopeo', () => {
  it('takes a umoci-built container image from skopeo and gives it back with the same digest', async () => {
    const image = join(dir.path, 'umoci');
    await umoci('init', '--layout', image);
    await umoci('new', '--image', `${image}:v1`);
    const content = join(dir.path, 'content');
    await mkdir(content);
    await writeFile(join(content, 'motd'), 'built by umoci\n'.repeat(1000));
    await umoci('insert', '--rootless', '--image', `${image}:v1`, join(content, 'motd'), '/etc/motd');
    const source = await OciLayout.open(image);
    const sourceDesc = await source.resolve('v1');

    await skopeo('copy', ...PUSH, `oci:${image}:v1`, `docker://${host}/platform/motd:v1`);
    const raw = await skopeo('inspect', '--raw', '--tls-verify=false', `docker://${host}/platform/motd:v1`);
    const { bytes } = await source.readManifest(sourceDesc);
    expect(raw).toBe(bytes.toString());
    const info = JSON.parse(
      await skopeo('inspect', '--tls-verify=false', `docker://${host}/platform/motd:v1`),
    );
    expect(info.Digest).toBe(sourceDesc.digest);

    const out = join(dir.path, 'out');
    await skopeo('copy', ...PULL, `docker://${host}/platform/motd:v1`, `oci:${out}:v1`);
    expect((await (await OciLayout.open(out)).resolve('v1')).digest).toBe(sourceDesc.digest);
    // and umoci can unpack what came back
    await umoci('unpack', '--rootless', '--image', `${out}:v1`, join(dir.path, 'bundle'));
  });

  it('copies between repositories of the same registry, lists tags and deletes', async () => {
    await skopeo(
      'copy',
      ...PULL,
      ...PUSH,
      `docker://${host}/platform/motd:v1`,
      `docker://${host}/mirror/motd:v2`,
    );
    const tags = JSON.parse(await skopeo('list-tags', '--tls-verify=false', `docker://${host}/mirror/motd`));
    expect(tags.Tags).toEqual(['v2']);
    const store = new LayoutStore(join(dir.path, 'registry'));
    expect(await store.repositories()).toEqual(['mirror/motd', 'platform/motd']);
    await skopeo('delete', '--tls-verify=false', `docker://${host}/mirror/motd:v2`);
    await expect(
      skopeo('inspect', '--raw', '--tls-verify=false', `docker://${host}/mirror/motd:v2`),
    ).rejects.toThrow(/manifest unknown|not found/i);
  });

  it('carries a provisioning extension artifact (custom media types) through unchanged', async () => {
    const layoutPath = join(dir.path, 'artifact');
    const layout = await OciLayout.open(layoutPath, { create: true });
    const artifact = makeArtifact('kubernetes');
    await pushImage(layout, artifact, '1.28.0');
    await skopeo(
      'copy',
      ...PUSH,
      `oci:${layoutPath}:1.28.0`,
      `docker://${host}/provisioning-extensions/kubernetes:1.28.0`,
    );
    const raw = await skopeo(
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${host}/provisioning-extensions/kubernetes:1.28.0`,
    );
    expect(Buffer.from(raw).equals(artifact.manifest.bytes)).toBe(true);
    // it lands in the store as an ordinary layout that we read directly
    const stored = await new LayoutStore(join(dir.path, 'registry')).repository(
      'provisioning-extensions/kubernetes',
      {
        create: false,
      },
    );
    expect(await stored.resolve('1.28.0')).toMatchObject({ digest: artifact.manifest.desc.digest });
    expect(await stored.exists(artifact.layers[0]!.desc)).toBe(true);
  });

  it('copies a multi-manifest index in and out with --all', async () => {
    const layoutPath = join(dir.path, 'index-src');
    const layout = await OciLayout.open(layoutPath, { create: true });
    const children = [makeArtifact('linux-amd64'), makeArtifact('linux-arm64')];
    for (const child of children) await pushImage(layout, child);
    const index = makeIndex(children);
    await layout.push(index.desc, index.bytes);
    await layout.tag(index.desc, 'all');
    await skopeo('copy', '--all', ...PUSH, `oci:${layoutPath}:all`, `docker://${host}/platform/multi:all`);
    const out = join(dir.path, 'index-out');
    await skopeo('copy', '--all', ...PULL, `docker://${host}/platform/multi:all`, `oci:${out}:all`);
    const back = await OciLayout.open(out);
    expect((await back.resolve('all')).digest).toBe(index.desc.digest);
    for (const child of children) expect(await back.exists(child.layers[0]!.desc)).toBe(true);
  });
});
