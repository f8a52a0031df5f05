/**
 * Picks and builds the extension source a workspace uses (`dependencies.extensions.source_type`, or
 * `registry.type: oci-layout`): the configured OCI registry (default), the embedded OCI-layout
 * storage, or the legacy local monorepo directory.
 */
import { join } from 'node:path';
import { LayoutStore } from '@provisioning/oci-client';
import type { Lockfile } from '@provisioning/schemas';
import { ExtensionCache } from '../cache/cache-store.js';
import type { RootModule } from '../config/root-modules.js';
import type { RegistryClients } from '../repository/open-repository.js';
import type { WorkspaceSettings } from '../settings/workspace-settings.js';
import type { ExtensionSource, GitOrigin } from './extension-source.js';
import { GitExtensionSource } from './git-source.js';
import { LocalExtensionSource } from './local-source.js';
import { type ExtensionLocation, OciExtensionSource } from './oci-source.js';
import { RoutedExtensionSource } from './routed-source.js';
import {
  giteaRepositoryUrl,
  gitModuleUrl,
  layoutStorePath,
  localExtensionsPath,
  workspaceSourceKind,
} from './source-kind.js';

export { layoutStorePath, localExtensionsPath, workspaceSourceKind };

export interface WorkspaceSourceOptions {
  settings: WorkspaceSettings;
  roots: RootModule[];
  clients: RegistryClients;
  offline?: boolean;
  concurrency?: number;
  /** The previous lockfile's modules: git sources refuse a tag that moved since. */
  locked?: Lockfile['modules'] | undefined;
}

/** Label used as the "registry" of layout-stored extensions in cache keys. */
export const LAYOUT_REGISTRY_LABEL = 'local-layout';

/** The registry part of a locked module's cache key: the layout label for the embedded storage. */
export function cacheRegistryOf(settings: WorkspaceSettings, registry: string): string {
  return workspaceSourceKind(settings) === 'oci-layout' ? LAYOUT_REGISTRY_LABEL : registry;
}

/**
 * The workspace's source, with each root module written as a git reference routed to its
 * repository (docs/sources.md, "Git sources").
 */
export function createWorkspaceSource(options: WorkspaceSourceOptions): ExtensionSource {
  const { settings } = options;
  const gitSources = new Map<string, GitExtensionSource>();
  const gitSource = (url: string) => {
    let source = gitSources.get(url);
    if (!source) {
      source = new GitExtensionSource({
        url,
        treesRoot: join(settings.cacheDir, 'git', 'trees'),
        // the reference it has once published to the configured registry, as for local modules
        referenceOf: (name, version) =>
          `${settings.registry}/${settings.extensionsNamespace}/${name}:${version}`,
        locked: lockedOrigins(options.locked),
        offline: options.offline ?? false,
        ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
      });
      gitSources.set(url, source);
    }
    return source;
  };
  const routes = new Map<string, ExtensionSource>();
  for (const root of options.roots)
    if (root.git) routes.set(root.name, gitSource(gitModuleUrl(root.git, settings)));
  const fallback =
    workspaceSourceKind(settings) === 'git' ? gitSource(giteaRepositoryUrl(settings)) : baseSource(options);
  return routes.size === 0 ? fallback : new RoutedExtensionSource(fallback, routes);
}

function lockedOrigins(locked: Lockfile['modules'] | undefined) {
  const out = new Map<string, { version: string; git?: GitOrigin }>();
  for (const [name, mod] of Object.entries(locked ?? {})) {
    out.set(name, { version: mod.version, ...(mod.git ? { git: mod.git } : {}) });
  }
  return out;
}

function baseSource(options: WorkspaceSourceOptions): ExtensionSource {
  const { settings } = options;
  const kind = workspaceSourceKind(settings);
  if (kind === 'local') {
    // the lockfile records the reference the module will have once published to the configured registry
    return new LocalExtensionSource(
      localExtensionsPath(settings),
      (name, version) => `${settings.registry}/${settings.extensionsNamespace}/${name}:${version}`,
    );
  }
  const cache = new ExtensionCache(settings.cacheDir);
  const roots = new Map(options.roots.map((r) => [r.name, r]));
  if (kind === 'oci-layout') {
    const store = new LayoutStore(layoutStorePath(settings));
    return new OciExtensionSource({
      kind,
      cache,
      offline: options.offline,
      concurrency: options.concurrency,
      locate: (name) => ({
        registry: LAYOUT_REGISTRY_LABEL,
        repository: roots.get(name)?.reference.repository ?? `${settings.extensionsNamespace}/${name}`,
      }),
      openRemote: (location) => store.repository(location.repository, { create: false }),
      listNames: async () => namesIn(await store.repositories(), settings.extensionsNamespace),
      describeLocation: (location) => `the OCI-layout storage ${join(store.root, location.repository)}`,
      // the reference the module has on a registry serving this storage (`oci-registry start`)
      formatReference: (location, tag) => `${settings.registry}/${location.repository}:${tag}`,
    });
  }
  return new OciExtensionSource({
    kind: 'oci',
    cache,
    offline: options.offline,
    concurrency: options.concurrency,
    locate: (name): ExtensionLocation => {
      const root = roots.get(name);
      if (root) return { registry: root.reference.registry, repository: root.reference.repository };
      return { registry: settings.registry, repository: `${settings.extensionsNamespace}/${name}` };
    },
    openRemote: async (location) => options.clients.repository(location.registry, location.repository),
    // registries without a catalog (GHCR, Docker Hub) just give no suggestion
    listNames: async () =>
      namesIn(await options.clients.registry(settings.registry).catalog(), settings.extensionsNamespace),
  });
}

/** The extension names of `repositories` (`NS/NAME`) directly under `namespace`. */
function namesIn(repositories: string[], namespace: string): string[] {
  const prefix = `${namespace.replace(/\/+$/, '')}/`;
  return repositories
    .filter((repo) => repo.startsWith(prefix) && !repo.slice(prefix.length).includes('/'))
    .map((repo) => repo.slice(prefix.length));
}
