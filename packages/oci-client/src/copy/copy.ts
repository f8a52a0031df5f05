/**
 * Copy one manifest and everything it references from one `ContentTarget` to another (registry ↔
 * registry, registry ↔ layout, layout ↔ layout). Blobs first, then child manifests, then the
 * parents, so the destination never holds a manifest whose content is missing. Manifest bytes are
 * copied unchanged (digests are preserved); blobs stream end to end.
 */
import { pipeline, type Readable, Transform } from 'node:stream';
import { isValidTag, MAX_MANIFEST_BYTES, ProvisioningError } from '@provisioning/schemas';
import { createLimiter } from '../http/limiter.js';
import { isSupportedDigest } from '../layout/digest.js';
import { isManifestMediaType, manifestChildren, parseManifest, readCapped } from '../layout/manifest-json.js';
import { reopenable } from '../reopenable.js';
import type { ContentTarget, Descriptor } from '../types.js';

export type CopyProgressEvent =
  | { type: 'blob-exists' | 'blob-mounted' | 'blob-copied' | 'blob-skipped'; descriptor: Descriptor }
  | { type: 'manifest-exists' | 'manifest-copied'; descriptor: Descriptor }
  /** Bytes of one blob transferred so far. */
  | { type: 'bytes'; descriptor: Descriptor; transferred: number };

export interface CopyOptions {
  /** Blob transfers in flight at once (default 3). */
  concurrency?: number;
  /** Also copy the manifests that refer to the copied one (signatures, SBOMs), recursively. */
  referrers?: boolean;
  /** Nesting cap for index → manifest and referrer chains (default 8). */
  maxDepth?: number;
  onProgress?(event: CopyProgressEvent): void;
}

/**
 * What a registry repository offers beyond `ContentTarget`, duck-typed so copy stays
 * storage-neutral: either `mountBlob(desc, from)` with `origin` / `repository`, or
 * `pushBlob(desc, content, { mountFrom })` with `host` / `name` (our `RegistryRepository`).
 */
interface Mountable {
  origin?: string;
  repository?: string;
  mountBlob?(desc: Descriptor, fromRepository: string): Promise<boolean>;
  host?: string;
  name?: string;
  pushBlob?(
    desc: Descriptor,
    content: Readable,
    options: { mountFrom?: string; knownMissing?: boolean },
  ): Promise<string>;
}
interface ReferrerSource {
  referrers?(subjectDigest: string): Promise<Descriptor[] | { manifests: Descriptor[] }>;
}
interface ManifestReader {
  fetchManifest?(reference: string): Promise<{ descriptor: Descriptor }>;
}
interface ManifestRecorder {
  addManifest?(desc: Descriptor): Promise<void>;
}

export async function copy(
  src: ContentTarget,
  srcRef: string,
  dst: ContentTarget,
  dstRef: string,
  options: CopyOptions = {},
): Promise<Descriptor> {
  const dstIsDigest = isSupportedDigest(dstRef);
  if (!dstIsDigest && !isValidTag(dstRef)) {
    throw new ProvisioningError(
      'COPY_REFERENCE_INVALID',
      `destination reference ${JSON.stringify(dstRef)} is neither a tag nor a digest`,
      {
        kind: 'usage',
        hint: 'give a tag like 1.0.0 or the source digest',
      },
    );
  }
  const root = await resolveRoot(src, srcRef);
  if (dstIsDigest && dstRef !== root.digest) {
    throw new ProvisioningError(
      'COPY_DIGEST_MISMATCH',
      `${src.location}:${srcRef} is ${root.digest}, not ${dstRef}`,
      {
        kind: 'usage',
        hint: 'a copy preserves the digest; copy by tag or give the source digest',
      },
    );
  }
  const copier = new GraphCopier(src, dst, options);
  // A missing root goes up under its tag in one PUT (no second PUT just to tag it).
  const pushedTagged = await copier.copyManifestTree(root, 0, dstIsDigest ? undefined : dstRef);
  if (options.referrers) await copier.copyReferrers(root, 0);
  if (dstIsDigest) await (dst as ManifestRecorder).addManifest?.(root);
  else if (!pushedTagged) await dst.tag(root, dstRef);
  return root;
}

/**
 * Copy blobs (layers, configs) `src` holds to `dst`, the way `copy` does: skipped when present,
 * mounted within one registry, streamed otherwise. No manifest is written (an image build adds its
 * own on top of a base's layers).
 */
export async function copyBlobs(
  src: ContentTarget,
  dst: ContentTarget,
  blobs: readonly Descriptor[],
  options: Pick<CopyOptions, 'concurrency' | 'onProgress'> = {},
): Promise<void> {
  const copier = new GraphCopier(src, dst, options);
  await settleAll(blobs.map((blob) => copier.copyManifestTree(blob, 0)));
}

class GraphCopier {
  private readonly limit;
  private readonly done = new Map<string, Promise<void>>();
  private readonly maxDepth: number;

  constructor(
    private readonly src: ContentTarget,
    private readonly dst: ContentTarget,
    private readonly options: CopyOptions,
  ) {
    this.limit = createLimiter(Math.max(1, options.concurrency ?? 3));
    this.maxDepth = options.maxDepth ?? 8;
  }

  private emit(event: CopyProgressEvent): void {
    this.options.onProgress?.(event);
  }

  /** Copy a descriptor's content once per run, however often the graph mentions it. */
  private once(desc: Descriptor, work: () => Promise<void>): Promise<void> {
    let pending = this.done.get(desc.digest);
    if (!pending) {
      pending = work();
      this.done.set(desc.digest, pending);
    }
    return pending;
  }

  /** Resolves true when the manifest was pushed here under `tag`, false when it was already there. */
  async copyManifestTree(desc: Descriptor, depth: number, tag?: string): Promise<boolean> {
    if (!isManifestMediaType(desc.mediaType)) {
      await this.copyBlob(desc);
      return false;
    }
    let pushedTagged = false;
    await this.once(desc, async () => {
      if (depth > this.maxDepth) {
        throw new ProvisioningError(
          'COPY_DEPTH_EXCEEDED',
          `manifest ${desc.digest} in ${this.src.location} is nested deeper than ${this.maxDepth} levels`,
          {
            kind: 'input',
            hint: 'indexes nested this deep are not supported; check the source for a reference loop',
          },
        );
      }
      if (await this.dst.exists(desc)) {
        this.emit({ type: 'manifest-exists', descriptor: desc });
        return;
      }
      if (desc.size > MAX_MANIFEST_BYTES) {
        throw new ProvisioningError(
          'MANIFEST_TOO_LARGE',
          `manifest ${desc.digest} in ${this.src.location} is ${desc.size} bytes`,
          {
            hint: `manifests are capped at ${MAX_MANIFEST_BYTES} bytes`,
          },
        );
      }
      const where = `${this.src.location}@${desc.digest}`;
      const bytes = await readCapped(await this.src.fetch(desc), MAX_MANIFEST_BYTES, where);
      const children = manifestChildren(parseManifest(bytes, where));
      await settleAll(children.map((child) => this.copyManifestTree(child, depth + 1)));
      await this.dst.push(
        desc,
        bytes,
        tag === undefined ? { knownMissing: true } : { tag, knownMissing: true },
      );
      pushedTagged = tag !== undefined;
      this.emit({ type: 'manifest-copied', descriptor: desc });
    });
    return pushedTagged;
  }

  private copyBlob(desc: Descriptor): Promise<void> {
    return this.once(desc, () =>
      this.limit(async () => {
        if (isNonDistributable(desc)) {
          this.emit({ type: 'blob-skipped', descriptor: desc });
          return;
        }
        if (await this.dst.exists(desc)) {
          this.emit({ type: 'blob-exists', descriptor: desc });
          return;
        }
        const viaMount = await this.tryMount(desc);
        if (viaMount) {
          this.emit({ type: viaMount, descriptor: desc });
          return;
        }
        // A registry may have to start an upload over (429, 502, a lost session): give it content it
        // can open again. A layout reads once, and keeps the source's verified mark this way.
        const open = async () => this.countBytes(desc, await this.src.fetch(desc));
        const uploads = typeof (this.dst as ContentTarget & Mountable).pushBlob === 'function';
        const content = uploads ? reopenable(open) : await open();
        try {
          await this.dst.push(desc, content, { knownMissing: true });
        } catch (error) {
          content.destroy(); // release the source connection when the destination gave up early
          throw error;
        }
        this.emit({ type: 'blob-copied', descriptor: desc });
      }),
    );
  }

  /**
   * Cross-repository mount when both ends are repositories of the same registry. Returns what
   * happened, or undefined when no mount was possible (then the blob is streamed).
   */
  private async tryMount(desc: Descriptor): Promise<'blob-mounted' | 'blob-copied' | undefined> {
    const src = this.src as ContentTarget & Mountable;
    const dst = this.dst as ContentTarget & Mountable;
    if (typeof dst.mountBlob === 'function' && src.origin && src.origin === dst.origin) {
      if (!src.repository || src.repository === dst.repository) return undefined;
      try {
        return (await dst.mountBlob(desc, src.repository)) ? 'blob-mounted' : undefined;
      } catch {
        return undefined; // e.g. no pull right on the source repository: stream it instead
      }
    }
    if (
      typeof dst.pushBlob === 'function' &&
      src.host &&
      src.host === dst.host &&
      src.name &&
      src.name !== dst.name
    ) {
      // The content is only fetched if the registry answers the mount with an upload session.
      const content = reopenable(async () => this.countBytes(desc, await this.src.fetch(desc)));
      const result = await dst.pushBlob(desc, content, { mountFrom: src.name, knownMissing: true });
      return result === 'mounted' ? 'blob-mounted' : 'blob-copied';
    }
    return undefined;
  }

  private countBytes(desc: Descriptor, stream: Readable): Readable {
    if (!this.options.onProgress) return stream;
    let transferred = 0;
    const counter = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        transferred += chunk.length;
        this.emit({ type: 'bytes', descriptor: desc, transferred });
        done(null, chunk);
      },
    });
    pipeline(stream, counter, () => undefined); // errors travel to `counter`, its consumer sees them
    return counter;
  }

  async copyReferrers(subject: Descriptor, depth: number): Promise<void> {
    if (depth > this.maxDepth) return;
    const source = this.src as ContentTarget & ReferrerSource;
    if (typeof source.referrers !== 'function') {
      throw new ProvisioningError('REFERRERS_UNSUPPORTED', `${this.src.location} cannot list referrers`, {
        kind: 'usage',
        hint: 'copy without referrers from this source',
      });
    }
    const listed = await source.referrers(subject.digest);
    const referrers = Array.isArray(listed) ? listed : listed.manifests;
    for (const referrer of referrers) {
      await this.copyManifestTree(referrer, 0);
      await (this.dst as ManifestRecorder).addManifest?.(referrer);
      await this.copyReferrers(referrer, depth + 1);
    }
  }
}

/**
 * A registry source named by tag is read with one GET (the repository keeps the bytes for the copy
 * that follows) instead of a HEAD for the digest and a GET by digest.
 */
async function resolveRoot(src: ContentTarget, reference: string): Promise<Descriptor> {
  const registry = src as ContentTarget & ManifestReader;
  if (typeof registry.fetchManifest === 'function' && !isSupportedDigest(reference)) {
    return (await registry.fetchManifest(reference)).descriptor;
  }
  return src.resolve(reference);
}

/** Foreign / non-distributable layers live elsewhere (their `urls`); registries do not hold them. */
function isNonDistributable(desc: Descriptor): boolean {
  return (desc.urls?.length ?? 0) > 0 && /foreign|nondistributable/.test(desc.mediaType);
}

/** Like Promise.all, but waits for every transfer to stop before failing: no writes after we return. */
async function settleAll(work: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
