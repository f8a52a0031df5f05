/**
 * `oci search TERM`: list the namespace, read each repository's newest config blob (bounded
 * parallelism; small, size-capped documents) and keep those whose name, description, type or tags
 * contain the term (case-insensitive). Repositories that are not extensions match by name only.
 */

import { createLimiter } from '@provisioning/oci-client';
import { isExtensionManifest } from '../source/extension-artifact.js';
import { isPerRepositoryFailure, type ListOptions, listExtensions } from './list-extensions.js';
import type { OciSession } from './oci-session.js';
import { readConfigJson, readManifest } from './read-manifest.js';

export interface SearchHit {
  name: string;
  version: string | null;
  type: string | null;
  description: string | null;
  keywords: string[];
  reference: string;
}

export async function searchExtensions(
  session: OciSession,
  term: string,
  options: ListOptions = {},
): Promise<SearchHit[]> {
  const needle = term.toLowerCase();
  const listed = await listExtensions(session, options);
  const limit = createLimiter(options.concurrency ?? 4);
  const hits = await Promise.all(
    listed.map((entry) =>
      limit(async (): Promise<SearchHit | undefined> => {
        const hit: SearchHit = {
          name: entry.name,
          version: entry.latest,
          type: null,
          description: null,
          keywords: [],
          reference: entry.reference,
        };
        if (entry.latest) await describeFromConfig(session, entry.reference, entry.latest, hit);
        const haystack = [hit.name, hit.description ?? '', hit.type ?? '', ...hit.keywords].map((s) =>
          s.toLowerCase(),
        );
        return haystack.some((text) => text.includes(needle)) ? hit : undefined;
      }),
    ),
  );
  return hits.filter((hit): hit is SearchHit => hit !== undefined);
}

/** Fill type, description and keywords from the newest config blob; unreadable → name only. */
async function describeFromConfig(
  session: OciSession,
  reference: string,
  tag: string,
  hit: SearchHit,
): Promise<void> {
  try {
    const opened = await session.open(reference);
    const manifest = await readManifest(opened.target, tag);
    if (!isExtensionManifest(manifest.json)) return;
    const config = (await readConfigJson(opened.target, manifest.json.config)) as
      | Record<string, unknown>
      | undefined;
    hit.type = typeof config?.type === 'string' ? config.type : null;
    hit.description = typeof config?.description === 'string' ? config.description : null;
    hit.keywords = Array.isArray(config?.tags)
      ? config.tags.filter((t): t is string => typeof t === 'string')
      : [];
  } catch (error) {
    if (!isPerRepositoryFailure(error) && (error as { code?: unknown }).code !== 'BLOB_TOO_LARGE')
      throw error;
  }
}
