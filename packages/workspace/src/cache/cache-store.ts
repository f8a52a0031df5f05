/**
 * The content-addressed pull cache: a `LayoutStore` under `$PROVISIONING_HOME/oci-cache` (or the
 * configured `cacheDir`) with one OCI layout per `<registry-host-sanitised>/<repository>`. Every blob
 * enters through `OciLayout.push`, which verifies digest and size while streaming.
 */
import { LayoutStore, type OciLayout } from '@provisioning/oci-client';

export class ExtensionCache {
  readonly store: LayoutStore;

  constructor(readonly root: string) {
    this.store = new LayoutStore(root);
  }

  /** Layout caching `registry/repository`; created on first use unless `create` is false. */
  async repository(registry: string, repository: string, create = true): Promise<OciLayout | undefined> {
    const name = `${sanitiseRegistryHost(registry)}/${repository}`;
    if (!create && !(await this.store.has(name))) return undefined;
    return this.store.repository(name, { create });
  }
}

/**
 * A registry host as one repository path component: `localhost:5000` → `localhost_5000`,
 * `[::1]:5000` → `ipv6-0-0-0-0-0-0-0-1_5000`-style. Distinct hosts stay distinct because ports use `_`
 * and IPv6 groups `-`, neither of which can appear in a DNS name in that position.
 */
export function sanitiseRegistryHost(registry: string): string {
  let host = registry.toLowerCase();
  let port = '';
  const v6 = /^\[([0-9a-f:.]+)\](?::(\d+))?$/.exec(host);
  if (v6) {
    host = `ipv6-${v6[1]!.replace(/:/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '') || '0'}`;
    port = v6[2] ?? '';
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0) {
      port = host.slice(colon + 1);
      host = host.slice(0, colon);
    }
  }
  const safeHost = host.replace(/[^a-z0-9.-]/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '') || 'registry';
  return port ? `${safeHost}_${port}` : safeHost;
}
