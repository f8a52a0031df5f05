/**
 * The referrers API over layouts: which manifests recorded in a repository name a subject. Parsed
 * facts are cached by digest (content-addressed, so they never go stale); the list of candidates
 * is read from index.json on every request.
 */
import { MediaTypes } from '@provisioning/schemas';
import { parseSupportedDigest } from '../layout/digest.js';
import { referrerDescriptor } from '../layout/index-file.js';
import { isManifestMediaType } from '../layout/manifest-json.js';
import type { OciLayout } from '../layout/oci-layout.js';
import type { Descriptor } from '../types.js';
import { checkName, type Exchange, json, type ServerContext } from './context.js';
import { HttpProblem } from './http-problem.js';

interface ManifestFacts {
  subject: string | undefined;
  descriptor: Descriptor;
}

const CACHE_LIMIT = 50_000;

export class ReferrersIndex {
  private readonly facts = new Map<string, ManifestFacts | null>();

  async list(layout: OciLayout, subject: string, artifactType?: string): Promise<Descriptor[]> {
    const out: Descriptor[] = [];
    const seen = new Set<string>();
    for (const entry of await layout.listManifests()) {
      if (seen.has(entry.digest) || !isManifestMediaType(entry.mediaType)) continue;
      seen.add(entry.digest);
      const facts = await this.factsOf(layout, entry);
      if (!facts || facts.subject !== subject) continue;
      if (artifactType === undefined || facts.descriptor.artifactType === artifactType)
        out.push(facts.descriptor);
    }
    return out;
  }

  private async factsOf(layout: OciLayout, entry: Descriptor): Promise<ManifestFacts | null> {
    const cached = this.facts.get(entry.digest);
    if (cached !== undefined) return cached;
    let facts: ManifestFacts | null = null;
    try {
      const { manifest } = await layout.readManifest(entry);
      facts = { subject: manifest.subject?.digest, descriptor: referrerDescriptor(manifest, entry) };
    } catch {
      return null; // missing or unreadable here: do not cache, another repository may hold it fine
    }
    if (this.facts.size >= CACHE_LIMIT) this.facts.clear();
    this.facts.set(entry.digest, facts);
    return facts;
  }
}

export async function getReferrers(
  ctx: ServerContext,
  ex: Exchange,
  name: string,
  digest: string,
): Promise<void> {
  try {
    parseSupportedDigest(digest, 'referrers request');
  } catch {
    throw new HttpProblem(400, 'DIGEST_INVALID', `invalid digest ${JSON.stringify(digest.slice(0, 80))}`);
  }
  checkName(name);
  const artifactType = ex.url.searchParams.get('artifactType') ?? undefined;
  const manifests = (await ctx.store.has(name))
    ? await ctx.referrers.list(await ctx.store.repository(name, { create: false }), digest, artifactType)
    : [];
  const headers: Record<string, string> = { 'Content-Type': MediaTypes.ociImageIndex };
  if (artifactType !== undefined) headers['OCI-Filters-Applied'] = 'artifactType';
  json(ex, 200, { schemaVersion: 2, mediaType: MediaTypes.ociImageIndex, manifests }, headers);
}
