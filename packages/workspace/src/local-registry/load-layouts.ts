/**
 * `oci-registry start --backend distribution`: Distribution stores in a format of its own, so
 * `start` copies every tag of the embedded storage into it before it reports ready (manifest bytes
 * unchanged, digests kept, blobs it already holds skipped). Both then hold what was published, and
 * `start` says how much it loaded (docs/registry.md, "The local registry").
 */
import { copy, LayoutStore, Registry } from '@provisioning/oci-client';

export interface LoadedLayouts {
  repositories: number;
  tags: number;
}

export async function loadLayoutsInto(layoutRoot: string, endpoint: string): Promise<LoadedLayouts> {
  const store = new LayoutStore(layoutRoot);
  const registry = new Registry(endpoint, { plainHttp: true, credentials: null });
  const loaded: LoadedLayouts = { repositories: 0, tags: 0 };
  try {
    for (const name of await store.repositories()) {
      const layout = await store.repository(name, { create: false });
      const tags = await layout.tags();
      if (tags.length === 0) continue;
      const repository = registry.repository(name);
      for (const tag of tags) await copy(layout, tag, repository, tag);
      loaded.repositories += 1;
      loaded.tags += tags.length;
    }
  } finally {
    await registry.close();
  }
  return loaded;
}
