/**
 * The catalog listing: every extension of a namespace with its type, description, newest version and
 * tags, filtered by a text (name/description substring, case-insensitive) and a type. Built on
 * `searchExtensions` (which reads each newest config blob) and the repositories' tag lists.
 */
import { createLimiter } from '@provisioning/oci-client';
import { isPerRepositoryFailure } from '../oci/list-extensions.js';
import type { OciSession } from '../oci/oci-session.js';
import { searchExtensions } from '../oci/search-extensions.js';
import { orderTags } from '../oci/tag-order.js';

export interface CatalogEntry {
  namespace: string;
  name: string;
  type: string | null;
  description: string | null;
  latestVersion: string | null;
  /** Newest first (semver order, other tags after). */
  tags: string[];
  reference: string;
}

export interface CatalogQuery {
  namespace?: string;
  /** Substring of the name or description. */
  text?: string;
  type?: string;
  concurrency?: number;
}

export async function searchCatalog(session: OciSession, query: CatalogQuery = {}): Promise<CatalogEntry[]> {
  const namespace = (query.namespace ?? session.namespace).replace(/\/+$/, '');
  // the empty term matches every entry; the text filter below is narrower than `oci search`'s
  const hits = await searchExtensions(session, '', {
    namespace,
    ...(query.concurrency ? { concurrency: query.concurrency } : {}),
  });
  const needle = query.text?.toLowerCase();
  const kept = hits.filter(
    (hit) =>
      (!needle ||
        hit.name.toLowerCase().includes(needle) ||
        (hit.description ?? '').toLowerCase().includes(needle)) &&
      (!query.type || hit.type === query.type),
  );
  const limit = createLimiter(query.concurrency ?? 4);
  const host = session.config.registry.value;
  return Promise.all(
    kept.map((hit) =>
      limit(async () => {
        const opened = await session.open(`${host}/${namespace ? `${namespace}/` : ''}${hit.name}`);
        const tags = await opened.target.tags().catch((error: unknown) => {
          if (isPerRepositoryFailure(error)) return [] as string[];
          throw error;
        });
        return {
          namespace,
          name: hit.name,
          type: hit.type,
          description: hit.description,
          latestVersion: hit.version,
          tags: orderTags(tags).map((t) => t.tag),
          reference: hit.reference,
        };
      }),
    ),
  );
}
