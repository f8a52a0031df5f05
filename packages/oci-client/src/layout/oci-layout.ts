/**
 * An OCI image layout on disk (image-spec image-layout.md) as a `ContentTarget`.
 *
 * - Blobs are written to `.ingest/` inside the layout while being hashed, verified, fsynced and
 *   renamed into `blobs/<alg>/<hex>`: readers only ever see complete, verified files, and two
 *   processes pushing the same blob both succeed (the rename is atomic and the content identical).
 * - `index.json` is rewritten as a whole (temp + rename) under a lock file, so concurrent taggers
 *   never lose each other's entries. Readers need no lock.
 * - Tags are `index.json` entries carrying `org.opencontainers.image.ref.name` (what skopeo and
 *   umoci write); manifests stored without a tag can be recorded as entries without that
 *   annotation (`addManifest`) so they survive `gc()`.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { link, readFile, rename, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  Annotations,
  asFileSystemError,
  type ErrorCode,
  MAX_MANIFEST_BYTES,
  MediaTypes,
  makeDirectory,
  openNewFileSink,
  ProvisioningError,
} from '@provisioning/schemas';
import type { ContentTarget, Descriptor, PushOptions } from '../types.js';
import { isVerifiedAs, markVerified } from '../verified-stream.js';
import { writeFileAtomic } from './atomic-file.js';
import { openBlobFile } from './blob-file-stream.js';
import { digestOf, isSupportedDigest, parseSupportedDigest } from './digest.js';
import { type LockOptions, withFileLock } from './file-lock.js';
import { writeSynced } from './fs-util.js';
import {
  descriptorForManifest,
  findTag,
  type IndexDocument,
  plainDescriptor,
  readIndexFile,
  referrerDescriptor,
  refName,
} from './index-file.js';
import { collectGarbage, type GcResult } from './layout-gc.js';
import { isManifestMediaType, type ParsedManifest, parseManifest, readCapped } from './manifest-json.js';
import { assertValidTag } from './tag-name.js';
import { sizeMismatch, VerifyingStream } from './verify-stream.js';

export const OCI_LAYOUT_FILE = 'oci-layout';
export const INDEX_FILE = 'index.json';
const INGEST_DIR = '.ingest';
const LOCK_FILE = '.index.lock';
const LAYOUT_VERSION = '1.0.0';

export interface OpenLayoutOptions {
  /** Create the layout (and its parent directories) when it does not exist. */
  create?: boolean;
  /** Lock tuning for `index.json` updates. */
  lock?: LockOptions;
}

export interface GcOptions {
  /** Keep unreferenced blobs and temp files younger than this (default 10 min): a concurrent
   *  writer may be about to reference them. */
  graceMs?: number;
}

export class OciLayout implements ContentTarget {
  readonly location: string;
  /** Directories this instance has created (or found): one mkdir each, not one per blob. */
  private readonly madeDirs = new Map<string, Promise<void>>();

  private constructor(
    /** Absolute path of the layout directory. */
    readonly path: string,
    private readonly lockOptions: LockOptions,
  ) {
    this.location = `oci-layout:${path}`;
  }

  static async open(dir: string, options: OpenLayoutOptions = {}): Promise<OciLayout> {
    const path = resolvePath(dir);
    const layout = new OciLayout(path, options.lock ?? {});
    const marker = await readFile(join(path, OCI_LAYOUT_FILE), 'utf8').catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
        throw error;
      },
    );
    if (marker === undefined) {
      if (!options.create) {
        throw new ProvisioningError(
          'LAYOUT_NOT_FOUND',
          `no OCI image layout at ${path} (missing ${OCI_LAYOUT_FILE})`,
          {
            kind: 'input',
            hint: 'check the path, or create the layout first',
            details: { path },
          },
        );
      }
      await layout.initialise();
      return layout;
    }
    let version: unknown;
    try {
      version = (JSON.parse(marker) as { imageLayoutVersion?: unknown }).imageLayoutVersion;
    } catch {
      version = undefined;
    }
    if (typeof version !== 'string' || !version.startsWith('1.')) {
      throw new ProvisioningError(
        'LAYOUT_INVALID',
        `${join(path, OCI_LAYOUT_FILE)} does not declare imageLayoutVersion 1.x`,
        {
          kind: 'input',
          hint: `the file must contain {"imageLayoutVersion":"${LAYOUT_VERSION}"}`,
          details: { path },
        },
      );
    }
    return layout;
  }

  private async initialise(): Promise<void> {
    await this.ensureDirectory(join(this.path, 'blobs', 'sha256'));
    const empty: IndexDocument = { schemaVersion: 2, mediaType: MediaTypes.ociImageIndex, manifests: [] };
    // `wx`: a concurrent creator may have written (and tagged into) it already.
    await writeFile(join(this.path, INDEX_FILE), `${JSON.stringify(empty)}\n`, { flag: 'wx' }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      },
    );
    await writeFileAtomic(
      join(this.path, OCI_LAYOUT_FILE),
      JSON.stringify({ imageLayoutVersion: LAYOUT_VERSION }),
    );
  }

  /** `blobs/<alg>/<hex>` for a digest, validated first. */
  blobPath(digest: string): string {
    const { algorithm, hex } = parseSupportedDigest(digest, this.location);
    return join(this.path, 'blobs', algorithm, hex);
  }

  async exists(desc: Descriptor): Promise<boolean> {
    const size = await this.blobSize(desc.digest);
    return size !== undefined && size === desc.size;
  }

  /** Size of the stored blob, or undefined when absent. */
  async blobSize(digest: string): Promise<number | undefined> {
    // synchronous: no thread-pool round trip, and no error object for a missing blob
    const info = statSync(this.blobPath(digest), { throwIfNoEntry: false });
    return info?.isFile() ? info.size : undefined;
  }

  async fetch(desc: Descriptor): Promise<Readable> {
    const path = this.blobPath(desc.digest);
    const size = await this.blobSize(desc.digest);
    if (size === undefined) throw this.notFound(desc);
    if (size !== desc.size) throw sizeMismatch(desc, this.location, size);
    const verifier = new VerifyingStream(desc, this.location);
    const source = openBlobFile(path, size);
    source.on('error', (error) => verifier.destroy(error));
    // A small blob is read whole before the caller attaches its pipeline (it may await a file open
    // first): a digest failure then comes before any listener. The error stays on the stream
    // (`errored`), and pipeline or `for await` report it to whoever consumes it later.
    verifier.on('error', () => undefined);
    return markVerified(source.pipe(verifier), desc);
  }

  async push(desc: Descriptor, content: Readable | Uint8Array, options: PushOptions = {}): Promise<void> {
    await this.store(desc, content, options.knownMissing === true);
    if (options.tag !== undefined) await this.tag(desc, options.tag);
  }

  private async store(
    desc: Descriptor,
    content: Readable | Uint8Array,
    knownMissing: boolean,
  ): Promise<void> {
    this.blobPath(desc.digest);
    if (!knownMissing && (await this.exists(desc))) {
      if (content instanceof Readable) content.destroy();
      // Counts as freshly written: a concurrent gc's grace period now protects it until it is tagged.
      const now = new Date();
      await utimes(this.blobPath(desc.digest), now, now).catch(() => undefined);
      return;
    }
    const temp = await this.ingestPath();
    let committed = false;
    try {
      if (content instanceof Uint8Array) {
        this.assertDescribes(desc, content, 'pushed as');
        await writeSynced(temp, content);
      } else {
        const verified = isVerifiedAs(content, desc) ? [] : [new VerifyingStream(desc, this.location)];
        await pipeline([content, ...verified, openNewFileSink(temp, { fsync: true })]);
      }
      await this.commitBlob(temp, desc.digest);
      committed = true;
    } catch (error) {
      throw asFileSystemError(error, this.path);
    } finally {
      if (!committed) await rm(temp, { force: true });
    }
  }

  /** Where temp files of this layout live (same file system as its blobs). */
  get ingestDir(): string {
    return join(this.path, INGEST_DIR);
  }

  /** A fresh temp file path inside this layout. */
  async ingestPath(): Promise<string> {
    await this.ensureDirectory(this.ingestDir);
    return join(this.ingestDir, `${process.pid}-${randomBytes(12).toString('hex')}`);
  }

  /** Move an already verified temp file (from `ingestPath()`) into place as `digest`. */
  async commitBlob(tempPath: string, digest: string): Promise<void> {
    const target = this.blobPath(digest);
    await this.ensureDirectory(join(target, '..'));
    await rename(tempPath, target).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      // the directory went away since this instance made it (the layout was emptied meanwhile)
      await this.ensureDirectory(join(target, '..'), { again: true });
      await rename(tempPath, target);
    });
  }

  /** mkdir -p once per directory and instance; `again` forgets an earlier success. */
  private ensureDirectory(dir: string, { again = false } = {}): Promise<void> {
    let made = again ? undefined : this.madeDirs.get(dir);
    if (!made) {
      made = makeDirectory(dir).catch((error: unknown) => {
        this.madeDirs.delete(dir); // try again next time
        throw error;
      });
      this.madeDirs.set(dir, made);
    }
    return made;
  }

  /** Make a blob of `other` available here without copying bytes when possible (hard link). */
  async linkBlobFrom(other: OciLayout, desc: Descriptor): Promise<boolean> {
    if (!(await other.exists(desc))) return false;
    if (await this.exists(desc)) return true;
    const target = this.blobPath(desc.digest);
    await this.ensureDirectory(join(target, '..'));
    try {
      await link(other.blobPath(desc.digest), target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return true;
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw error;
      await this.push(desc, await other.fetch(desc));
    }
    return true;
  }

  /**
   * Read and parse a manifest blob (size-capped, digest-verified). `held`: its bytes, when the
   * caller already has them (it just pushed them): they are checked against `desc` and parsed
   * instead of being read back from the file.
   */
  async readManifest(
    desc: Descriptor,
    held?: Uint8Array,
  ): Promise<{ bytes: Buffer; manifest: ParsedManifest }> {
    if (desc.size > MAX_MANIFEST_BYTES) {
      throw new ProvisioningError(
        'MANIFEST_TOO_LARGE',
        `manifest ${desc.digest} in ${this.location} is ${desc.size} bytes`,
        {
          hint: `manifests are capped at ${MAX_MANIFEST_BYTES} bytes`,
        },
      );
    }
    const bytes = held
      ? Buffer.from(this.assertDescribes(desc, held, 'read as'))
      : await readCapped(await this.fetch(desc), MAX_MANIFEST_BYTES, this.location);
    return { bytes, manifest: parseManifest(bytes, `${this.location}@${desc.digest}`) };
  }

  /** `bytes` unchanged when `desc` describes them (size and digest); DIGEST_MISMATCH otherwise. */
  private assertDescribes(desc: Descriptor, bytes: Uint8Array, as: string): Uint8Array {
    if (bytes.length !== desc.size) throw sizeMismatch(desc, this.location, bytes.length);
    const actual = digestOf(bytes, parseSupportedDigest(desc.digest, this.location).algorithm);
    if (actual !== desc.digest) {
      throw new ProvisioningError(
        'DIGEST_MISMATCH',
        `content ${as} ${desc.digest} in ${this.location} hashes to ${actual}`,
        {
          hint: 'the descriptor does not describe these bytes',
          details: { expected: desc.digest, actual },
        },
      );
    }
    return bytes;
  }

  async resolve(reference: string): Promise<Descriptor> {
    const index = await this.readIndex();
    if (isSupportedDigest(reference)) {
      const entry = index.manifests.find((m) => m.digest === reference);
      if (entry) return plainDescriptor(entry);
      const size = await this.blobSize(reference);
      if (size === undefined)
        throw this.notFound({ digest: reference, mediaType: '', size: 0 }, 'MANIFEST_NOT_FOUND');
      const { manifest } = await this.readManifest({ mediaType: '', digest: reference, size });
      return descriptorForManifest(manifest, reference, size);
    }
    if (reference.includes(':') && !reference.includes('@')) parseSupportedDigest(reference, this.location);
    assertValidTag(reference, this.location);
    const entry = findTag(index, reference);
    if (!entry) {
      throw new ProvisioningError('MANIFEST_NOT_FOUND', `tag ${reference} not found in ${this.location}`, {
        kind: 'input',
        hint: 'list the available tags, or check the reference',
        details: { reference, location: this.location },
      });
    }
    return plainDescriptor(entry);
  }

  async tag(desc: Descriptor, tag: string): Promise<void> {
    assertValidTag(tag, this.location);
    parseSupportedDigest(desc.digest, this.location);
    if (!(await this.exists(desc))) throw this.notFound(desc, 'MANIFEST_NOT_FOUND');
    await this.updateIndex((index) => {
      const kept = index.manifests.filter(
        (m) => refName(m) !== tag && !(m.digest === desc.digest && !refName(m)),
      );
      const entry: Descriptor = {
        ...plainDescriptor(desc),
        annotations: { ...desc.annotations, [Annotations.refName]: tag },
      };
      return { ...index, manifests: [...kept, entry] };
    });
  }

  /** Remove a tag; the manifest stays recorded (untagged) so it is not garbage. False if absent. */
  async untag(tag: string): Promise<boolean> {
    assertValidTag(tag, this.location);
    let removed = false;
    await this.updateIndex((index) => {
      const entry = findTag(index, tag);
      if (!entry) return index;
      removed = true;
      const rest = index.manifests.filter((m) => m !== entry);
      const stillListed = rest.some((m) => m.digest === entry.digest);
      return { ...index, manifests: stillListed ? rest : [...rest, plainDescriptor(entry)] };
    });
    return removed;
  }

  /** Record a manifest in index.json without a tag (no-op when already listed). */
  async addManifest(desc: Descriptor): Promise<void> {
    parseSupportedDigest(desc.digest, this.location);
    if (!(await this.exists(desc))) throw this.notFound(desc, 'MANIFEST_NOT_FOUND');
    await this.updateIndex((index) =>
      index.manifests.some((m) => m.digest === desc.digest)
        ? index
        : { ...index, manifests: [...index.manifests, plainDescriptor(desc)] },
    );
  }

  async tags(): Promise<string[]> {
    const index = await this.readIndex();
    const names = index.manifests.map(refName).filter((name): name is string => name !== undefined);
    return [...new Set(names)];
  }

  /** Every index.json entry (tagged ones carry the ref.name annotation). */
  async listManifests(): Promise<Descriptor[]> {
    return (await this.readIndex()).manifests.map((m) => ({ ...m }));
  }

  /**
   * Delete a manifest or blob: its index.json entries (all tags) and its file. Content it
   * referenced stays until `gc()`. Returns false when nothing was there.
   */
  async delete(desc: Descriptor): Promise<boolean> {
    const path = this.blobPath(desc.digest);
    let listed = false;
    await this.updateIndex((index) => {
      const rest = index.manifests.filter((m) => m.digest !== desc.digest);
      listed = rest.length !== index.manifests.length;
      return listed ? { ...index, manifests: rest } : index;
    });
    const removed = await unlink(path).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    return listed || removed;
  }

  /** Manifests listed in index.json whose `subject` is `digest`, as referrers-API descriptors. */
  async referrers(subject: string | Descriptor, artifactType?: string): Promise<Descriptor[]> {
    const digest = typeof subject === 'string' ? subject : subject.digest;
    parseSupportedDigest(digest, this.location);
    const result: Descriptor[] = [];
    const seen = new Set<string>();
    for (const entry of (await this.readIndex()).manifests) {
      if (seen.has(entry.digest) || !isManifestMediaType(entry.mediaType) || !isSupportedDigest(entry.digest))
        continue;
      seen.add(entry.digest);
      const { manifest } = await this.readManifest(entry).catch(() => ({ manifest: undefined }));
      if (!manifest || manifest.subject?.digest !== digest) continue;
      const described = referrerDescriptor(manifest, entry);
      if (artifactType === undefined || described.artifactType === artifactType) result.push(described);
    }
    return result;
  }

  /**
   * Remove blobs no index.json entry reaches (following index → manifest → config/layers), plus
   * abandoned temp files. Runs under the index lock so no tag moves while it marks.
   */
  async gc(options: GcOptions = {}): Promise<GcResult> {
    return withFileLock(
      this.lockPath,
      async () => collectGarbage(this, (await this.readIndex()).manifests, options.graceMs ?? 10 * 60_000),
      this.lockOptions,
    );
  }

  private get lockPath(): string {
    return join(this.path, LOCK_FILE);
  }

  private readIndex(): Promise<IndexDocument> {
    return readIndexFile(join(this.path, INDEX_FILE));
  }

  private async updateIndex(change: (index: IndexDocument) => IndexDocument): Promise<void> {
    await withFileLock(
      this.lockPath,
      async () => {
        const before = await this.readIndex();
        const after = change(before);
        if (after !== before)
          await writeFileAtomic(join(this.path, INDEX_FILE), `${JSON.stringify(after)}\n`);
      },
      this.lockOptions,
    );
  }

  private notFound(desc: Descriptor, code: ErrorCode = 'BLOB_NOT_FOUND'): ProvisioningError {
    const what = code === 'MANIFEST_NOT_FOUND' ? 'manifest' : 'blob';
    return new ProvisioningError(code, `${what} ${desc.digest} not found in ${this.location}`, {
      kind: 'input',
      hint: 'copy or pull the content into the layout first',
      details: { digest: desc.digest, location: this.location },
    });
  }
}
