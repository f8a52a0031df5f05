/**
 * The OCI operations of src/oci called as a library (not through the CLI binary), on both
 * backends a user meets: a real CNCF Distribution registry, and the embedded OCI-layout storage
 * (`registry.type: oci-layout`, what the CLI uses when nothing serves localhost:5000). The same
 * failure must carry the same error code on both (docs/architecture.md, "Error model").
 */
import { generateKeyPairSync } from 'node:crypto';
import { access, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { KUBERNETES_GRAPH, makeExtension, publishToRegistry } from '@provisioning/fixtures';
import type { ProvisioningError } from '@provisioning/schemas';
import { type RunningDistribution, startDistribution, type TempDir, tempDir } from '@provisioning/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EffectiveConfig } from '../src/config/effective-config.js';
import { loadEffectiveConfig } from '../src/config/load-effective-config.js';
import { nameSource, placeEach } from '../src/oci/artifact-name.js';
import { copyArtifact } from '../src/oci/copy-artifact.js';
import { copyArtifacts } from '../src/oci/copy-artifacts.js';
import { countBytes } from '../src/oci/count-bytes.js';
import { deleteArtifact } from '../src/oci/delete-artifact.js';
import { inspectArtifact } from '../src/oci/inspect-artifact.js';
import { listExtensions } from '../src/oci/list-extensions.js';
import { listSignatures } from '../src/oci/list-signatures.js';
import { listTags } from '../src/oci/list-tags.js';
import { mirrorNamespace } from '../src/oci/mirror-namespace.js';
import { OciSession } from '../src/oci/oci-session.js';
import { publishExtension } from '../src/oci/publish-extension.js';
import { pullExtension } from '../src/oci/pull-extension.js';
import { pullExtensions } from '../src/oci/pull-extensions.js';
import { pushExtension } from '../src/oci/push-extension.js';
import { readManifest } from '../src/oci/read-manifest.js';
import { searchExtensions } from '../src/oci/search-extensions.js';
import { signArtifact } from '../src/oci/sign-artifact.js';
import { openSignedSubject } from '../src/oci/signed-subject.js';
import { verifyArtifact } from '../src/oci/verify-artifact.js';
import { withVersionTagFallback } from '../src/oci/version-tag-fallback.js';

interface Backend {
  name: 'distribution' | 'layout';
  open(tmp: string): Promise<{ config: EffectiveConfig; stop(): Promise<void> }>;
}

const BACKENDS: Backend[] = [
  {
    name: 'distribution',
    async open(tmp) {
      const registry: RunningDistribution = await startDistribution();
      const config = await loadEffectiveConfig({
        cwd: tmp,
        env: { PROVISIONING_HOME: join(tmp, 'home'), HOME: tmp },
        flags: { registry: registry.host, plainHttp: true },
      });
      return { config, stop: () => registry.stop() };
    },
  },
  {
    name: 'layout',
    async open(tmp) {
      const loaded = await loadEffectiveConfig({
        cwd: tmp,
        env: { PROVISIONING_HOME: join(tmp, 'home'), HOME: tmp },
      });
      // what applyEmbeddedDefault decides when nothing serves localhost:5000
      const config: EffectiveConfig = {
        ...loaded,
        registryType: { value: 'oci-layout', source: 'flag', origin: 'test' },
        layoutPath: { value: join(tmp, 'home', 'oci-registry'), source: 'flag', origin: 'test' },
      };
      return { config, stop: async () => undefined };
    },
  },
];

/** The error code `work` fails with (fails the test when it succeeds). */
async function codeOf(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as { code?: string },
  );
  return String(error.code);
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** Error codes per backend and case, compared across backends at the end. */
const codes: Record<string, Record<string, string>> = {};

describe.each(BACKENDS)('OCI operations on $name', (backend) => {
  let tmp: TempDir;
  let session: OciSession;
  let stop: () => Promise<void>;
  let redisDir: string;
  let pushedDigest: string;
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const mine: Record<string, string> = {};
  codes[backend.name] = mine;

  beforeAll(async () => {
    tmp = await tempDir(`oci-ops-${backend.name}-`);
    const opened = await backend.open(tmp.path);
    stop = opened.stop;
    session = new OciSession(opened.config);
    redisDir = await makeExtension(join(tmp.path, 'src'), {
      type: 'taskserv',
      name: 'redis',
      version: '1.0.0',
    });
  });
  afterAll(async () => {
    await session?.close();
    await stop?.();
    await tmp?.remove();
  });

  it('push: pushes, an identical re-push is a no-op, different content under the same version is refused', async () => {
    const first = await pushExtension(session, redisDir, { name: 'redis', version: '1.0.0' });
    expect(first.outcome).toBe('pushed');
    expect(first.reference).toMatch(/provisioning-extensions\/redis:1\.0\.0$/);
    pushedDigest = first.digest;
    const again = await pushExtension(session, redisDir);
    expect(again).toMatchObject({ outcome: 'unchanged', digest: first.digest });

    const extra = join(redisDir, 'extra.txt');
    await writeFile(extra, 'changed\n');
    mine.versionExists = await codeOf(pushExtension(session, redisDir));
    expect(mine.versionExists).toBe('VERSION_EXISTS');
    const forced = await pushExtension(session, redisDir, { force: true });
    expect(forced).toMatchObject({ outcome: 'replaced', previousDigest: first.digest });
    await rm(extra);
    const back = await pushExtension(session, redisDir, { force: true });
    expect(back.digest).toBe(first.digest); // packing is reproducible
    mine.nameMismatch = await codeOf(pushExtension(session, redisDir, { name: 'other' }));
    expect(mine.nameMismatch).toBe('EXTENSION_NAME_MISMATCH');
  });

  it('publish: finds extensions/taskservs/NAME under a directory and pushes its manifest version', async () => {
    const root = join(tmp.path, 'publish');
    await makeExtension(join(root, 'extensions'), { type: 'taskserv', name: 'etcd', version: '3.5.9' });
    const result = await publishExtension(session, 'etcd', { dir: root });
    expect(result).toMatchObject({ name: 'etcd', version: '3.5.9', outcome: 'pushed' });
    expect(result.directory).toBe(join(root, 'extensions', 'taskservs', 'etcd'));
    expect((await publishExtension(session, 'etcd', { dir: root })).outcome).toBe('unchanged');
  });

  it('tags, list and search see what was pushed', async () => {
    const tags = await listTags(session, 'redis');
    expect(tags.map((t) => t.version)).toEqual(['1.0.0']);
    expect(tags[0]?.semver).toBe(true);
    const listed = await listExtensions(session);
    expect(listed.map((e) => e.name).sort()).toEqual(['etcd', 'redis']);
    const hits = await searchExtensions(session, 'red');
    expect(hits.map((h) => h.name)).toEqual(['redis']);
    expect(hits[0]).toMatchObject({ version: '1.0.0', type: 'taskserv' });
  });

  it('inspect and read-manifest return the pushed digest; the version-tag fallback finds 1.0.0 for v1.0.0', async () => {
    const inspected = await inspectArtifact(session, 'redis:1.0.0');
    expect(inspected.digest).toBe(pushedDigest);
    const opened = await session.open('redis');
    const read = await readManifest(opened.target, '1.0.0');
    expect(read.descriptor.digest).toBe(pushedDigest);
    expect(read.json.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    const fallback = await withVersionTagFallback('v1.0.0', (tag) => readManifest(opened.target, tag));
    expect(fallback.tag).toBe('1.0.0');
    expect(fallback.value.descriptor.digest).toBe(pushedDigest);
  });

  it('pull: verifies and unpacks into the output; a failed pull leaves no file', async () => {
    const output = join(tmp.path, 'pulled', 'redis');
    const pulled = await pullExtension(session, 'redis:1.0.0', { output });
    expect(pulled).toMatchObject({ name: 'redis', version: '1.0.0', digest: pushedDigest, output });
    expect(pulled.files).toBeGreaterThan(0);
    expect(await readdir(output)).toContain('manifest.yaml');

    const missing = join(tmp.path, 'pulled', 'nothing');
    mine.tagNotFound = await codeOf(pullExtension(session, 'redis:9.9.9', { output: missing }));
    expect(mine.tagNotFound).toBe('TAG_NOT_FOUND');
    mine.repositoryNotFound = await codeOf(pullExtension(session, 'nosuch:1.0.0', { output: missing }));
    expect(mine.repositoryNotFound).toBe('REPOSITORY_NOT_FOUND');
    expect(await exists(missing)).toBe(false);
    mine.targetExists = await codeOf(pullExtension(session, 'redis:1.0.0', { output }));
    expect(mine.targetExists).toBe('TARGET_EXISTS');

    const many = await pullExtensions(session, ['redis:1.0.0', 'etcd:3.5.9'], {
      outputDir: join(tmp.path, 'many'),
    });
    expect(many.failed).toEqual([]);
    expect(many.pulled.map((p) => p.name).sort()).toEqual(['etcd', 'redis']);
    expect(await exists(join(tmp.path, 'many', 'etcd', 'manifest.yaml'))).toBe(true);
  });

  it('a bad reference and a missing tag fail the same way for inspect and tags', async () => {
    mine.badReference = await codeOf(inspectArtifact(session, 'Bad Name::1'));
    expect(mine.badReference).toBe('REFERENCE_INVALID');
    mine.inspectTagNotFound = await codeOf(inspectArtifact(session, 'redis:2.0.0'));
    expect(mine.inspectTagNotFound).toBe('TAG_NOT_FOUND');
    mine.tagsRepositoryNotFound = await codeOf(listTags(session, 'nosuch'));
    expect(mine.tagsRepositoryNotFound).toBe('REPOSITORY_NOT_FOUND');
  });

  it('sign, list-signatures and verify; another key is refused', async () => {
    const signed = await signArtifact(session, 'redis:1.0.0', { key: key.privateKey });
    expect(signed.digest).toMatch(/^sha256:/);
    const opened = await session.open('redis');
    const listing = await listSignatures(opened.target, pushedDigest);
    expect(listing?.signatures).toHaveLength(1);
    expect(listing?.signatures[0]?.signedDigest).toBe(pushedDigest);
    const verified = await verifyArtifact(session, 'redis:1.0.0', {
      keys: [{ file: 'test.pub', key: key.publicKey }],
    });
    expect(verified.digest).toBe(pushedDigest);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    mine.wrongKey = await codeOf(
      verifyArtifact(session, 'redis:1.0.0', { keys: [{ file: 'other.pub', key: other.publicKey }] }),
    );
    expect(mine.wrongKey).toMatch(/^SIGNATURE_/);
  });

  it('copy and copy many into image layouts keep the digest', async () => {
    const dest = join(tmp.path, 'copy-layout');
    const copied = await copyArtifact(session, 'redis:1.0.0', `oci-layout:${dest}:1.0.0`);
    expect(copied.digest).toBe(pushedDigest);
    expect(copied.signatureDigest).toMatch(/^sha256:/); // the signature travels along
    const inspected = await inspectArtifact(session, `oci-layout:${dest}:1.0.0`);
    expect(inspected.digest).toBe(pushedDigest);
    mine.copyUnversioned = await codeOf(copyArtifact(session, 'redis', `oci-layout:${dest}:x`));
    expect(mine.copyUnversioned).toBe('COPY_SOURCE_UNVERSIONED');

    const many = await copyArtifacts(
      session,
      ['redis:1.0.0', 'etcd:3.5.9'],
      `oci-layout:${join(tmp.path, 'many-layout')}`,
    );
    expect(JSON.stringify(many)).toContain(pushedDigest);
  });

  it('not-found answers, signed subjects and artifact names are the same on both storages', async () => {
    const missingDigest = `sha256:${'0'.repeat(64)}`;
    mine.manifestNotFound = await codeOf(inspectArtifact(session, `redis@${missingDigest}`));
    expect(mine.manifestNotFound).toBe('MANIFEST_NOT_FOUND');
    const typo = await inspectArtifact(session, 'rediss:1.0.0').then(
      () => {
        throw new Error('expected REPOSITORY_NOT_FOUND');
      },
      (e: unknown) => e as ProvisioningError,
    );
    expect(typo.code).toBe('REPOSITORY_NOT_FOUND');
    expect(typo.hint).toMatch(/did you mean .*redis\?/);

    const subject = await openSignedSubject(session, 'redis:1.0.0', { command: 'verify' });
    expect(subject).toMatchObject({ resolvedTag: '1.0.0', descriptor: { digest: pushedDigest } });
    expect(subject.identity).toMatch(/\/provisioning-extensions\/redis$/);
    mine.subjectNeedsVersion = await codeOf(openSignedSubject(session, 'redis', { command: 'sign' }));
    expect(mine.subjectNeedsVersion).toBe('REFERENCE_NEEDS_VERSION');

    expect(nameSource(session, 'provisioning-extensions/redis:1.0.0')).toEqual({
      name: 'redis',
      reference: '1.0.0',
    });
    expect(nameSource(session, `oci-layout:${join(tmp.path, 'etcd')}:3.5.9`)).toEqual({
      name: 'etcd',
      reference: '3.5.9',
    });
    mine.sourceNameInvalid = await codeOf(
      Promise.resolve().then(() => nameSource(session, `oci-layout:${join(tmp.path, 'Bad Dir')}:1`)),
    );
    expect(mine.sourceNameInvalid).toBe('SOURCE_NAME_INVALID');
  });

  it('delete removes the version; a second delete is TAG_NOT_FOUND', async () => {
    mine.deleteNeedsVersion = await codeOf(deleteArtifact(session, 'etcd'));
    expect(mine.deleteNeedsVersion).toBe('DELETE_NEEDS_VERSION');
    const deleted = await deleteArtifact(session, 'etcd:3.5.9');
    expect(deleted.removedTags).toContain('3.5.9');
    mine.deleteAgain = await codeOf(deleteArtifact(session, 'etcd:3.5.9'));
    expect(mine.deleteAgain).toBe('TAG_NOT_FOUND');
  });
});

describe('both backends', () => {
  it('fail the same cases with the same codes', () => {
    expect(Object.keys(codes.layout ?? {}).length).toBeGreaterThanOrEqual(10);
    expect(codes.layout).toEqual(codes.distribution);
  });
});

// mirror-namespace walks a registry's catalog: registry to registry, so on Distribution only.
describe('mirror-namespace on distribution', () => {
  let tmp: TempDir;
  let registry: RunningDistribution;
  let session: OciSession;
  beforeAll(async () => {
    tmp = await tempDir('oci-mirror-');
    registry = await startDistribution();
    await publishToRegistry(registry.host, 'provisioning-extensions', KUBERNETES_GRAPH.slice(0, 3), tmp.path);
    const config = await loadEffectiveConfig({
      cwd: tmp.path,
      env: { PROVISIONING_HOME: join(tmp.path, 'home'), HOME: tmp.path },
      flags: { registry: registry.host, plainHttp: true },
    });
    session = new OciSession(config);
  });
  afterAll(async () => {
    await session?.close();
    await registry?.stop();
    await tmp?.remove();
  });

  it('copies every version into another namespace, then finds them up to date', async () => {
    const source = `${registry.host}/provisioning-extensions`;
    const mirrored = await mirrorNamespace(session, source, `${registry.host}/mirror`);
    expect(mirrored.failed).toEqual([]);
    expect(mirrored.repositories).toBe(3);
    expect(mirrored.copied.map((c) => c.destination).sort()).toEqual([
      `${registry.host}/mirror/containerd:1.7.0`,
      `${registry.host}/mirror/etcd:3.5.9`,
      `${registry.host}/mirror/runc:1.1.12`,
    ]);
    const copied = await inspectArtifact(session, `${registry.host}/mirror/etcd:3.5.9`);
    expect(copied.digest).toBe((await inspectArtifact(session, `${source}/etcd:3.5.9`)).digest);
    const again = await mirrorNamespace(session, source, `${registry.host}/mirror`);
    expect(again.copied).toEqual([]);
    expect(again.upToDate).toBe(3);
    const code = await codeOf(mirrorNamespace(session, `${registry.host}/nothing`, `${registry.host}/m2`));
    expect(code).toBe('REPOSITORY_NOT_FOUND');
  });
});

describe('stream and placement helpers', () => {
  it('countBytes reports every byte that goes through, and passes the stream through untouched without a listener', async () => {
    const descriptor = {
      mediaType: 'application/octet-stream',
      digest: `sha256:${'1'.repeat(64)}`,
      size: 6000,
    };
    const seen: number[] = [];
    const counted = countBytes(
      Readable.from([Buffer.alloc(1000), Buffer.alloc(5000)]),
      descriptor,
      (event) => {
        if (event.type === 'bytes') seen.push(event.transferred);
      },
    );
    let total = 0;
    for await (const chunk of counted) total += (chunk as Buffer).length;
    expect(total).toBe(6000);
    expect(seen).toEqual([1000, 6000]);
    const plain = Readable.from([Buffer.alloc(1)]);
    expect(countBytes(plain, descriptor, undefined)).toBe(plain);
  });

  it('placeEach refuses two sources with one destination, naming both', () => {
    const clash = { code: 'PULL_OUTPUT_CLASH' as const, hint: 'pull them separately' };
    expect(placeEach(['a/x', 'b/y'], (s) => s.split('/')[1] ?? '', clash)).toEqual([
      { source: 'a/x', place: 'x' },
      { source: 'b/y', place: 'y' },
    ]);
    expect(() => placeEach(['a/x', 'b/x'], (s) => s.split('/')[1] ?? '', clash)).toThrow(
      '"a/x" and "b/x" would both go to x',
    );
  });
});
