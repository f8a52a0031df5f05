/**
 * One repository read through its mirrors (docs/sources.md, "Registry mirrors"): every read tries
 * the mirrors in order, then the upstream; writes go to the upstream only. Content is addressed by
 * digest and every implementation of `ContentTarget` verifies what it hands out, so a mirror can
 * only serve the bytes a digest names. A mirror is trusted for what a tag points at, as containerd
 * trusts a mirror with the `resolve` capability; callers check the content against the tag (an
 * extension's config names its version) and a lockfile pins the digest.
 */
import type { Readable } from 'node:stream';
import { isProvisioningError, ProvisioningError } from '@provisioning/schemas';
import type { ContentTarget, Descriptor, PushOptions } from '../types.js';

export interface MirroredRepositoryOptions {
  /** One line per mirror skipped (unreachable, lacking the content, serving other bytes). */
  debug?: (line: string) => void;
  /**
   * Hosts found unreachable during this run (shared by the repositories of one command), with the
   * error they gave: they are not asked again, so a dead mirror costs its retries once, not per read.
   */
  unreachable?: Map<string, unknown>;
}

interface ManifestFetcher {
  fetchManifest(reference: string): Promise<{ descriptor: Descriptor; bytes: Uint8Array }>;
}
interface ReferrerLister {
  referrers(subjectDigest: string, options?: { artifactType?: string }): Promise<Descriptor[]>;
}

export class MirroredRepository implements ContentTarget {
  readonly location: string;

  constructor(
    readonly upstream: ContentTarget,
    readonly mirrors: readonly ContentTarget[],
    private readonly options: MirroredRepositoryOptions = {},
  ) {
    this.location = upstream.location;
  }

  /** Asked of the upstream: what a push would skip is decided where pushes go. */
  exists(desc: Descriptor): Promise<boolean> {
    return this.upstream.exists(desc);
  }

  fetch(desc: Descriptor): Promise<Readable> {
    return this.firstAnswer(desc.digest, (target) => target.fetch(desc));
  }

  /**
   * Stream `desc` into `consume`, which must fail without leaving anything behind (an image
   * layout's push does): a source whose bytes fail verification half-way, or whose connection
   * drops, is then skipped like one that lacks the content, and the next one streams it again.
   */
  fetchInto<T>(desc: Descriptor, consume: (content: Readable) => Promise<T>): Promise<T> {
    return this.firstAnswer(desc.digest, async (target) => consume(await target.fetch(desc)));
  }

  push(desc: Descriptor, content: Readable | Uint8Array, options?: PushOptions): Promise<void> {
    return this.upstream.push(desc, content, options);
  }

  resolve(reference: string): Promise<Descriptor> {
    return this.firstAnswer(reference, (target) => target.resolve(reference));
  }

  tag(desc: Descriptor, tag: string): Promise<void> {
    return this.upstream.tag(desc, tag);
  }

  /**
   * Every tag any reachable source lists (a partial mirror must not hide newer versions the upstream
   * has); a source without the repository lists none. Fails only when no source answered at all.
   */
  async tags(): Promise<string[]> {
    const answers = await Promise.allSettled(
      [...this.mirrors, this.upstream].map((target) => this.ask(target, (t) => t.tags())),
    );
    const seen = new Set<string>();
    const failures: string[] = [];
    answers.forEach((answer, index) => {
      if (answer.status === 'fulfilled') {
        for (const tag of answer.value) seen.add(tag);
        return;
      }
      const mirror = this.mirrors[index];
      if (mirror === undefined) return;
      this.skipped(mirror, 'tags', answer.reason);
      failures.push(`${mirror.location}: ${shortReason(answer.reason)}`);
    });
    const upstream = answers.at(-1) as PromiseSettledResult<string[]>;
    if (upstream.status === 'fulfilled' || failures.length < this.mirrors.length) return [...seen];
    throw this.allFailed('tags', upstream.reason, failures);
  }

  /** Tag or digest → manifest in one GET where the source can (registries), verified by the client. */
  fetchManifest(reference: string): Promise<{ descriptor: Descriptor; bytes: Uint8Array }> {
    return this.firstAnswer(reference, async (target) => {
      if (hasFetchManifest(target)) return target.fetchManifest(reference);
      const descriptor = await target.resolve(reference);
      const chunks: Buffer[] = [];
      for await (const chunk of await target.fetch(descriptor)) chunks.push(chunk as Buffer);
      return { descriptor, bytes: new Uint8Array(Buffer.concat(chunks)) };
    });
  }

  referrers(subjectDigest: string, options?: { artifactType?: string }): Promise<Descriptor[]> {
    return this.firstAnswer(`referrers of ${subjectDigest}`, async (target) => {
      if (!hasReferrers(target)) {
        throw new ProvisioningError('REFERRERS_UNSUPPORTED', `${target.location} cannot list referrers`, {
          kind: 'usage',
        });
      }
      return target.referrers(subjectDigest, options);
    });
  }

  private async firstAnswer<T>(what: string, read: (target: ContentTarget) => Promise<T>): Promise<T> {
    const failures: string[] = [];
    let refused: unknown;
    for (const mirror of this.mirrors) {
      try {
        return await this.ask(mirror, read);
      } catch (error) {
        this.skipped(mirror, what, error);
        failures.push(`${mirror.location}: ${shortReason(error)}`);
        if (isIntegrityError(error)) refused ??= error;
      }
    }
    try {
      return await this.ask(this.upstream, read);
    } catch (error) {
      if (failures.length === 0) throw error;
      // a mirror that served other bytes is the news, more than an upstream that is away
      if (refused !== undefined && !isIntegrityError(error)) {
        throw this.allFailed(
          what,
          refused,
          [...failures, `${this.upstream.location}: ${shortReason(error)}`],
          'tried',
        );
      }
      throw this.allFailed(what, error, failures);
    }
  }

  /** `read(target)`, unless its host already failed to answer in this run. */
  private async ask<T>(target: ContentTarget, read: (target: ContentTarget) => Promise<T>): Promise<T> {
    const unreachable = this.options.unreachable;
    const known = unreachable?.get(hostOf(target));
    if (known !== undefined) throw known;
    try {
      return await read(target);
    } catch (error) {
      if (unreachable && isProvisioningError(error) && error.code === 'NETWORK_ERROR') {
        unreachable.set(hostOf(target), error);
      }
      throw error;
    }
  }

  private skipped(mirror: ContentTarget, what: string, error: unknown): void {
    this.options.debug?.(`mirror ${mirror.location} skipped for ${what}: ${shortReason(error)}`);
  }

  /** `error` (same code, so the same exit status), naming the other sources that were tried. */
  private allFailed(
    what: string,
    error: unknown,
    failures: string[],
    label = 'mirrors tried first',
  ): unknown {
    if (!isProvisioningError(error)) return error;
    return new ProvisioningError(error.code, `${error.message} (${label}: ${failures.join('; ')})`, {
      kind: error.kind,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      cause: error,
      details: { ...error.details, mirrors: this.mirrors.map((m) => m.location), what },
    });
  }
}

/** The content did not match its digest or size: a source serving other bytes than asked for. */
function isIntegrityError(error: unknown): boolean {
  return isProvisioningError(error) && error.code === 'DIGEST_MISMATCH';
}

function hostOf(target: ContentTarget): string {
  return (target as { host?: string }).host ?? target.location;
}

function hasFetchManifest(target: ContentTarget): target is ContentTarget & ManifestFetcher {
  return typeof (target as Partial<ManifestFetcher>).fetchManifest === 'function';
}

function hasReferrers(target: ContentTarget): target is ContentTarget & ReferrerLister {
  return typeof (target as Partial<ReferrerLister>).referrers === 'function';
}

function shortReason(error: unknown): string {
  if (isProvisioningError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * `consume(await target.fetch(desc))`, and for a mirrored repository the same from the next source
 * when one fails (see `MirroredRepository.fetchInto`).
 */
export function fetchInto<T>(
  target: ContentTarget,
  desc: Descriptor,
  consume: (content: Readable) => Promise<T>,
): Promise<T> {
  if (target instanceof MirroredRepository) return target.fetchInto(desc, consume);
  return target.fetch(desc).then(consume);
}
