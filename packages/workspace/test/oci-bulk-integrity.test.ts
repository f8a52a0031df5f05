/**
 * The bulk forms (publish many, pull many), the layout store of `oci package --oci-layout`, and
 * integrity: a blob that does not match its digest fails the pull with DIGEST_MISMATCH and leaves
 * no file, whether a registry served it (through a tampering proxy) or the embedded storage holds
 * it (a corrupted blob file). Library calls on both backends, as in oci-operations.test.ts.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeExtension, type RegistryProxy, startProxy } from '@provisioning/fixtures';
import { packExtension } from '@provisioning/packager';
import { ProvisioningError } from '@provisioning/schemas';
import { type RunningDistribution, startDistribution, type TempDir, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EffectiveConfig } from '../src/config/effective-config.js';
import { loadEffectiveConfig } from '../src/config/load-effective-config.js';
import { bulkError } from '../src/oci/bulk-error.js';
import { inspectArtifact } from '../src/oci/inspect-artifact.js';
import { OciSession } from '../src/oci/oci-session.js';
import { findExtensionDirs, publishExtensions } from '../src/oci/publish-extensions.js';
import { pullExtension } from '../src/oci/pull-extension.js';
import { pullExtensions } from '../src/oci/pull-extensions.js';
import { storePackedInLayout } from '../src/oci/store-packed.js';

interface Opened {
  config: EffectiveConfig;
  /** Make the next reads of the layer blob return other bytes. */
  corrupt(layerDigest: string): Promise<void>;
  stop(): Promise<void>;
}

const env = (tmp: string) => ({ PROVISIONING_HOME: join(tmp, 'home'), HOME: tmp });

const BACKENDS: { name: string; open(tmp: string): Promise<Opened> }[] = [
  {
    name: 'distribution',
    async open(tmp) {
      const registry: RunningDistribution = await startDistribution();
      // every read goes through the proxy, which can flip a byte of a blob body
      const proxy: RegistryProxy = await startProxy(registry.host);
      const config = await loadEffectiveConfig({
        cwd: tmp,
        env: env(tmp),
        flags: { registry: proxy.host, plainHttp: true },
      });
      return {
        config,
        async corrupt(layerDigest) {
          proxy.tamper = new RegExp(`/blobs/${layerDigest}`);
        },
        async stop() {
          await proxy.close();
          await registry.stop();
        },
      };
    },
  },
  {
    name: 'layout',
    async open(tmp) {
      const loaded = await loadEffectiveConfig({ cwd: tmp, env: env(tmp) });
      const layoutPath = join(tmp, 'home', 'oci-registry');
      return {
        config: {
          ...loaded,
          registryType: { value: 'oci-layout', source: 'flag', origin: 'test' },
          layoutPath: { value: layoutPath, source: 'flag', origin: 'test' },
        },
        async corrupt(layerDigest) {
          const hex = layerDigest.replace('sha256:', '');
          const file = join(layoutPath, 'provisioning-extensions', 'redis', 'blobs', 'sha256', hex);
          await writeFile(file, 'not the layer');
        },
        stop: async () => undefined,
      };
    },
  },
];

async function codeOf(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as { code?: string },
  );
  return String(error.code);
}

const codes: Record<string, Record<string, string>> = {};

describe.each(BACKENDS)('bulk and integrity on $name', (backend) => {
  let tmp: TempDir;
  let opened: Opened;
  let session: OciSession;
  const repo = () => join(tmp.path, 'repo');
  const mine: Record<string, string> = {};
  codes[backend.name] = mine;

  beforeAll(async () => {
    tmp = await tempDir(`oci-bulk-${backend.name}-`);
    opened = await backend.open(tmp.path);
    session = new OciSession(opened.config);
    await makeExtension(join(repo(), 'extensions'), { type: 'taskserv', name: 'redis', version: '1.0.0' });
    await makeExtension(join(repo(), 'extensions'), { type: 'provider', name: 'aws', version: '2.1.0' });
  });
  afterAll(async () => {
    await session?.close();
    await opened?.stop();
    await tmp?.remove();
  });

  it('publishes every extension under a directory; again, nothing changes', async () => {
    expect((await findExtensionDirs(repo())).map((d) => d.split('/').pop())).toEqual(['aws', 'redis']);
    const first = await publishExtensions(session, 'all', { dir: repo() });
    expect(first.failed).toEqual([]);
    expect(first.published.map((p) => `${p.name}@${p.version}:${p.outcome}`).sort()).toEqual([
      'aws@2.1.0:pushed',
      'redis@1.0.0:pushed',
    ]);
    const again = await publishExtensions(session, ['redis', 'aws'], { dir: repo() });
    expect(again.published.map((p) => p.outcome)).toEqual(['unchanged', 'unchanged']);
    mine.noExtensions = await codeOf(findExtensionDirs(join(tmp.path, 'empty')));
    expect(mine.noExtensions).toBe('NO_EXTENSIONS');
  });

  it('a corrupted layer fails the pull with DIGEST_MISMATCH and leaves no output', async () => {
    const layerDigest = (await inspectArtifact(session, 'redis:1.0.0')).layers[0]?.digest;
    expect(layerDigest).toMatch(/^sha256:/);
    await opened.corrupt(String(layerDigest));
    const out = join(tmp.path, 'tampered');
    mine.digestMismatch = await codeOf(pullExtension(session, 'redis:1.0.0', { output: join(out, 'redis') }));
    expect(mine.digestMismatch).toBe('DIGEST_MISMATCH');
    expect(await readdir(out).catch(() => [])).toEqual([]);
  });

  it('pulls many, reports each failure, and refuses two sources landing in one directory', async () => {
    const out = join(tmp.path, 'many');
    const result = await pullExtensions(session, ['aws:2.1.0', 'nosuch:1.0.0'], { outputDir: out });
    expect(result.pulled.map((p) => p.name)).toEqual(['aws']);
    expect(result.failed.map((f) => (f.error as { code?: string }).code)).toEqual(['REPOSITORY_NOT_FOUND']);
    expect(await readdir(out)).toEqual(['aws']);

    const clashOut = join(tmp.path, 'clash');
    mine.outputClash = await codeOf(
      pullExtensions(session, ['aws:2.1.0', 'other/aws:2.1.0'], { outputDir: clashOut }),
    );
    expect(mine.outputClash).toBe('PULL_OUTPUT_CLASH');
    expect(await readdir(clashOut).catch(() => [])).toEqual([]);

    // the one error a bulk command ends with: first failure named, its kind kept, all listed
    const error = bulkError(
      'PULL_INCOMPLETE',
      'pulls',
      result.failed.map((f) => ({ item: f.reference, error: f.error })),
      2,
      'fix the reference',
    );
    expect(error).toBeInstanceOf(ProvisioningError);
    expect(error.message).toMatch(/^1 of 2 pulls failed; first: nosuch:1\.0\.0: /);
    expect(error.kind).toBe('input');
    expect(error.details).toMatchObject({ failed: [{ item: 'nosuch:1.0.0', code: 'REPOSITORY_NOT_FOUND' }] });
  });
});

describe('both backends', () => {
  it('fail the same cases with the same codes', () => {
    expect(Object.keys(codes.layout ?? {})).toHaveLength(3);
    expect(codes.layout).toEqual(codes.distribution);
  });
});

describe('storePackedInLayout', () => {
  let tmp: TempDir;
  beforeAll(async () => {
    tmp = await tempDir('oci-store-packed-');
  });
  afterAll(() => tmp.remove());

  it('tags the packed version in an image layout and reports the digest it replaced', async () => {
    const dir = await makeExtension(join(tmp.path, 'src'), {
      type: 'taskserv',
      name: 'etcd',
      version: '3.5.9',
    });
    const packed = await packExtension(dir, { outputDir: join(tmp.path, 'out') });
    const layoutDir = join(tmp.path, 'layout');
    const stored = await storePackedInLayout(packed, layoutDir);
    expect(stored).toEqual({ path: layoutDir, tag: '3.5.9', replaced: null });
    const config = await loadEffectiveConfig({ cwd: tmp.path, env: env(tmp.path) });
    const session = new OciSession(config);
    try {
      const inspected = await inspectArtifact(session, `oci-layout:${layoutDir}:3.5.9`);
      expect(inspected.digest).toBe(packed.imageManifestDescriptor.digest);
      expect((await storePackedInLayout(packed, layoutDir)).replaced).toBeNull();
      await writeFile(join(dir, 'extra.txt'), 'changed\n');
      const changed = await packExtension(dir, { outputDir: join(tmp.path, 'out2') });
      expect((await storePackedInLayout(changed, layoutDir)).replaced).toBe(
        packed.imageManifestDescriptor.digest,
      );
    } finally {
      await session.close();
    }
  });
});
