/** The namespaces of the configured registry (repository paths up to their last `/`) and how many repositories each holds. */
import { repositoryNames } from '../oci/list-extensions.js';
import type { OciSession } from '../oci/oci-session.js';

export interface CatalogNamespace {
  name: string;
  extensionCount: number;
}

export async function listNamespaces(session: OciSession): Promise<CatalogNamespace[]> {
  const counts = new Map<string, number>();
  for (const repository of await repositoryNames(session)) {
    const slash = repository.lastIndexOf('/');
    if (slash <= 0) continue;
    const name = repository.slice(0, slash);
    // cosign keeps signatures as tags, never as repositories: every repository counts
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, extensionCount]) => ({ name, extensionCount }));
}
