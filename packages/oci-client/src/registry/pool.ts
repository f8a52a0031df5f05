import { type OciReference, parseReference, type ReferenceDefaults } from '@provisioning/schemas';
import { Registry, type RegistryOptions } from './registry.js';
import type { RegistryRepository } from './repository.js';

export interface ResolvedTarget {
  registry: Registry;
  repository: RegistryRepository;
  reference: OciReference;
  /** What to ask the registry for: the digest when pinned, else the tag (`latest` when none). */
  target: string;
}

/**
 * One `Registry` per host, created on demand with per-host options (plain HTTP, insecure,
 * credentials…), so every command or resolver run shares connections and token caches.
 */
export class RegistryPool {
  private readonly registries = new Map<string, Registry>();

  constructor(private readonly options: RegistryOptions | ((host: string) => RegistryOptions) = {}) {}

  get(host: string): Registry {
    let registry = this.registries.get(host);
    if (registry === undefined) {
      registry = new Registry(host, typeof this.options === 'function' ? this.options(host) : this.options);
      this.registries.set(host, registry);
    }
    return registry;
  }

  /** Parse (if needed) a reference and return its registry, repository and target. */
  open(reference: OciReference | string, defaults?: Partial<ReferenceDefaults>): ResolvedTarget {
    const ref = typeof reference === 'string' ? parseReference(reference, defaults) : reference;
    const registry = this.get(ref.registry);
    return {
      registry,
      repository: registry.repository(ref.repository),
      reference: ref,
      target: ref.digest ?? ref.tag ?? 'latest',
    };
  }

  async close(): Promise<void> {
    const all = [...this.registries.values()];
    this.registries.clear();
    await Promise.all(all.map((r) => r.close()));
  }
}
