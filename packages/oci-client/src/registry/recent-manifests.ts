import { isValidDigest } from '@provisioning/schemas';
import type { FetchedManifest } from './manifests.js';

const MAX_ENTRIES = 32;
const MAX_BYTES = 8 * 1024 * 1024;

/**
 * The last few manifests one repository served, keyed by digest (oldest dropped first, bounded in
 * count and bytes). Only digest lookups hit: a tag can move, a digest cannot.
 */
export class RecentManifests {
  private readonly entries = new Map<string, FetchedManifest>();
  private bytes = 0;

  get(reference: string): FetchedManifest | undefined {
    return isValidDigest(reference) ? this.entries.get(reference) : undefined;
  }

  remember(fetched: FetchedManifest): void {
    const digest = fetched.descriptor.digest;
    if (this.entries.has(digest) || fetched.bytes.length > MAX_BYTES) return;
    this.entries.set(digest, fetched);
    this.bytes += fetched.bytes.length;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.bytes <= MAX_BYTES) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes.length;
    }
  }

  forget(digest: string): void {
    const entry = this.entries.get(digest);
    if (!entry) return;
    this.entries.delete(digest);
    this.bytes -= entry.bytes.length;
  }
}
