import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeExtension } from '@provisioning/fixtures';
import { OciLayout } from '@provisioning/oci-client';
import { packExtension } from '@provisioning/packager';
import { type TempDir, tempDir } from '@provisioning/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExtensionCache } from '../cache/cache-store.js';
import { storePackedInLayout } from '../oci/store-packed.js';
import { OciExtensionSource } from './oci-source.js';

let tmp: TempDir;
beforeEach(async () => {
  tmp = await tempDir('oci-source-');
});
afterEach(async () => {
  await tmp.remove();
});

/** A source over one published layout, with a cache that counts how often a layout is opened. */
async function sourceOverLayout() {
  const dir = await makeExtension(join(tmp.path, 'src'), {
    type: 'taskserv',
    name: 'runc',
    version: '1.1.12',
  });
  const packed = await packExtension(dir, { outputDir: join(tmp.path, 'out') });
  const remoteDir = join(tmp.path, 'remote', 'runc');
  await storePackedInLayout(packed, remoteDir);
  const cache = new ExtensionCache(join(tmp.path, 'cache'));
  let opened = 0;
  const counting = {
    store: cache.store,
    root: cache.root,
    repository: (...args: Parameters<ExtensionCache['repository']>) => {
      opened++;
      return cache.repository(...args);
    },
  } as ExtensionCache;
  const source = new OciExtensionSource({
    kind: 'oci-layout',
    cache: counting,
    locate: (name) => ({ registry: 'remote', repository: name }),
    openRemote: () => OciLayout.open(remoteDir),
  });
  return { source, packed, cache, opens: () => opened };
}

describe('OciExtensionSource', () => {
  it('opens the cache layout of a repository once per run, however often a module asks for it', async () => {
    const { source, packed, cache, opens } = await sourceOverLayout();
    expect(await source.versions('runc')).toEqual(['1.1.12']);
    const artifact = await source.artifact('runc', '1.1.12');
    await source.ensureLayer(artifact);
    const layer = await source.openLayer(artifact);
    layer.resume();
    await new Promise((done) => layer.on('end', done));
    expect(opens()).toBe(1);
    // what the run fetched is in the cache, tagged, byte for byte
    const cached = await cache.repository('remote', 'runc');
    expect((await cached!.resolve('1.1.12')).digest).toBe(packed.imageManifestDescriptor.digest);
    expect(await cached!.exists(artifact.layer)).toBe(true);
    expect(await readFile(cached!.blobPath(artifact.layer.digest))).toEqual(
      await readFile(packed.layer.path),
    );
  });
});
