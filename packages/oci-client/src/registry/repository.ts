import { Readable } from 'node:stream';
import { isValidDigest, MAX_MANIFEST_BYTES, ProvisioningError, parseDigest } from '@provisioning/schemas';
import { readCappedBytes } from '../http/transport.js';
import { digestOf } from '../layout/digest.js';
import type { ContentTarget, Descriptor, PushOptions } from '../types.js';
import { blobExists, fetchBlob } from './blobs.js';
import { describeRef, pullScopes, type RepositoryContext, requestContext } from './context.js';
import { listPaginated } from './listing.js';
import {
  deleteManifest,
  type FetchedManifest,
  fetchManifest,
  manifestExists,
  putManifest,
  resolveManifest,
} from './manifests.js';
import { isManifestMediaType } from './media.js';
import { RecentManifests } from './recent-manifests.js';
import { addToFallbackIndex, listReferrers } from './referrers.js';
import { type BlobContent, type PushBlobOptions, type PushBlobResult, pushBlob } from './upload.js';

const EMPTY_SHA256 = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** One repository on a remote registry; implements `ContentTarget` so `copy` can use it. */
export class RegistryRepository implements ContentTarget {
  readonly location: string;

  /**
   * Manifests fetched lately, by digest. Content-addressed, so never stale: a pull or copy that
   * read a manifest by tag does not ask for it again by digest.
   */
  private readonly fetched = new RecentManifests();

  constructor(private readonly ctx: RepositoryContext) {
    this.location = describeRef(ctx);
  }

  get name(): string {
    return this.ctx.name;
  }

  get host(): string {
    return this.ctx.host;
  }

  async exists(desc: Descriptor): Promise<boolean> {
    return isManifestMediaType(desc.mediaType)
      ? manifestExists(this.ctx, desc.digest)
      : blobExists(this.ctx, desc.digest);
  }

  /** Manifests come back fully verified; blobs stream through a digest + size verifier. */
  async fetch(desc: Descriptor): Promise<Readable> {
    if (isManifestMediaType(desc.mediaType)) {
      const { bytes } = await this.fetchManifest(desc.digest);
      if (bytes.length !== desc.size) {
        throw new ProvisioningError(
          'DIGEST_MISMATCH',
          `manifest ${describeRef(this.ctx, desc.digest)} is ${bytes.length} bytes, descriptor says ${desc.size}`,
          {
            hint: 'the descriptor does not match the content; check where it came from',
          },
        );
      }
      return Readable.from([bytes]);
    }
    return fetchBlob(this.ctx, desc);
  }

  async push(desc: Descriptor, content: Readable | Uint8Array, options: PushOptions = {}): Promise<void> {
    if (isManifestMediaType(desc.mediaType)) {
      const bytes =
        content instanceof Uint8Array ? content : await readCappedBytes(content, MAX_MANIFEST_BYTES);
      // Under a tag the registry names no digest to check against: check the bytes here.
      if (options.tag !== undefined) verifyManifestBytes(this.ctx, desc, bytes);
      await this.pushManifest(bytes, desc.mediaType, options.tag ?? desc.digest);
      return;
    }
    await pushBlob(this.ctx, desc, content, options.knownMissing ? { knownMissing: true } : {});
  }

  async resolve(reference: string): Promise<Descriptor> {
    return this.fetched.get(reference)?.descriptor ?? resolveManifest(this.ctx, reference);
  }

  async tag(desc: Descriptor, tag: string): Promise<void> {
    const { bytes, descriptor } = await this.fetchManifest(desc.digest);
    await putManifest(this.ctx, bytes, descriptor.mediaType, tag);
  }

  async tags(): Promise<string[]> {
    const url = new URL(`/v2/${this.ctx.name}/tags/list`, this.ctx.baseUrl);
    return listPaginated(
      this.ctx.transport,
      url,
      'tags',
      pullScopes(this.ctx),
      requestContext(this.ctx, 'list tags of'),
    );
  }

  /** GET a manifest; by digest it is served from the last few fetched when possible. */
  async fetchManifest(reference: string): Promise<FetchedManifest> {
    const known = this.fetched.get(reference);
    if (known) return known;
    const fetched = await fetchManifest(this.ctx, reference);
    this.fetched.remember(fetched);
    return fetched;
  }

  fetchBlob(desc: Descriptor): Promise<Readable> {
    return fetchBlob(this.ctx, desc);
  }

  blobExists(digest: string): Promise<boolean> {
    return blobExists(this.ctx, digest);
  }

  pushBlob(desc: Descriptor, content: BlobContent, options?: PushBlobOptions): Promise<PushBlobResult> {
    return pushBlob(this.ctx, desc, content, options);
  }

  /**
   * PUT a manifest under `reference` (a tag, or its digest by default). When it has a `subject`
   * and the registry did not answer `OCI-Subject`, the `sha256-<hex>` fallback index is updated.
   */
  async pushManifest(bytes: Uint8Array, mediaType: string, reference?: string): Promise<Descriptor> {
    const { descriptor, subjectHandled } = await putManifest(this.ctx, bytes, mediaType, reference);
    let parsed: {
      subject?: Descriptor;
      artifactType?: string;
      annotations?: Record<string, string>;
      config?: Descriptor;
    };
    try {
      parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) ?? {};
    } catch {
      // Not JSON: the registry accepted it anyway; there is no subject to track.
      parsed = {};
    }
    if (
      parsed.subject &&
      typeof parsed.subject.digest === 'string' &&
      isValidDigest(parsed.subject.digest) &&
      !subjectHandled
    ) {
      const referrer: Descriptor = { ...descriptor };
      const artifactType = parsed.artifactType ?? parsed.config?.mediaType;
      if (artifactType) referrer.artifactType = artifactType;
      if (parsed.annotations) referrer.annotations = parsed.annotations;
      await addToFallbackIndex(this.ctx, parsed.subject.digest, referrer);
    }
    return descriptor;
  }

  async deleteManifest(reference: string): Promise<string> {
    const digest = await deleteManifest(this.ctx, reference);
    this.fetched.forget(digest);
    return digest;
  }

  /** Does the registry serve the referrers API (probed once per registry, then remembered)? */
  async hasReferrersApi(): Promise<boolean> {
    if (this.ctx.capabilities.referrersApi === undefined) {
      await listReferrers(this.ctx, EMPTY_SHA256).catch(() => undefined);
    }
    return this.ctx.capabilities.referrersApi === true;
  }

  referrers(subjectDigest: string, options?: { artifactType?: string }): Promise<Descriptor[]> {
    return listReferrers(this.ctx, subjectDigest, options);
  }
}

function verifyManifestBytes(ctx: RepositoryContext, desc: Descriptor, bytes: Uint8Array): void {
  const actual = digestOf(bytes, parseDigest(desc.digest).algorithm);
  if (actual === desc.digest && bytes.length === desc.size) return;
  throw new ProvisioningError(
    'DIGEST_MISMATCH',
    `manifest for ${describeRef(ctx, desc.digest)}: ${bytes.length} bytes hashing to ${actual}`,
    {
      hint: 'compute the descriptor from the exact manifest bytes you push',
      details: { digest: desc.digest, actual },
    },
  );
}
