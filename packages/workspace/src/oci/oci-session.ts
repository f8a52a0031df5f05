/**
 * What every `oci` operation needs for one run: the effective configuration, one registry client
 * per host (credentials, TLS settings and token cache of the configured registry apply), and a way
 * to turn what a user typed (`redis:1.0.0`, `host/ns/name:tag`, `oci-layout:PATH:TAG`) into a
 * `ContentTarget`. Close it when done so connection pools do not keep the process alive.
 */
import {
  type ContentTarget,
  isLayoutLocation,
  LayoutStore,
  OciLayout,
  parseLayoutLocation,
  type Registry,
} from '@provisioning/oci-client';
import { formatReference, type OciReference, parseReference } from '@provisioning/schemas';
import { ExtensionCache } from '../cache/cache-store.js';
import type { EffectiveConfig } from '../config/effective-config.js';
import { isNotFound } from '../repository/not-found-error.js';
import {
  type RegistryAccess,
  RegistryClients,
  registryAccessFromEffectiveConfig,
} from '../repository/open-repository.js';
import { repositoryNotFound } from './not-found.js';

export interface OpenedTarget {
  target: ContentTarget;
  /** `registry` for a remote repository, `layout` for an image layout (given or the embedded storage). */
  kind: 'registry' | 'layout';
  /** Registry + repository (for layouts: `oci-layout:PATH`). */
  name: string;
  /** The tag or digest the user gave, if any. */
  reference?: string;
  /** The parsed reference (registry targets and the embedded storage). */
  parsed?: OciReference;
  /** The registry client (registry targets only). */
  registry?: Registry;
}

export interface OciSessionOptions {
  /** Namespace for short names instead of the configured extensions namespace. */
  namespace?: string;
  debug?: (line: string) => void;
  retry?: RegistryAccess['retry'];
}

export class OciSession {
  private readonly clients: RegistryClients;

  constructor(
    readonly config: EffectiveConfig,
    private readonly options: OciSessionOptions = {},
  ) {
    this.clients = new RegistryClients({
      ...registryAccessFromEffectiveConfig(config),
      ...(options.debug ? { debug: options.debug } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
    });
  }

  /** Namespace that short names (`redis:1.0.0`) expand into. */
  get namespace(): string {
    return this.options.namespace ?? this.config.namespaces.extensions.value;
  }

  /** The pull cache (`$PROVISIONING_HOME/oci-cache` or `cache_dir`). */
  get cache(): ExtensionCache {
    return new ExtensionCache(this.config.cacheDir.value);
  }

  /** True when the configured registry is the embedded OCI-layout storage (`registry.type: oci-layout`). */
  get usesLayoutStorage(): boolean {
    return this.config.registryType.value === 'oci-layout';
  }

  parse(input: string): OciReference {
    return parseReference(input, { registry: this.config.registry.value, namespace: this.namespace });
  }

  /** The client for `host`; `scheme` is what a reference written `https://…`/`http://…` chose. */
  registry(host: string, scheme?: 'https' | 'http'): Registry {
    return this.clients.registry(host, scheme);
  }

  /** The layout store backing the configured registry when `registry.type` is `oci-layout`. */
  layoutStorage(): LayoutStore {
    return new LayoutStore(this.config.layoutPath.value);
  }

  /**
   * Open what `input` names; `create` makes a missing image layout (destinations). A registry
   * source is read through the mirrors configured for its host (docs/sources.md, "Registry
   * mirrors") unless `mirrors: false`; a destination (`create`) is always the registry itself.
   */
  async open(input: string, options: { create?: boolean; mirrors?: boolean } = {}): Promise<OpenedTarget> {
    if (isLayoutLocation(input)) {
      const location = parseLayoutLocation(input);
      const layout = await OciLayout.open(location.path, { create: options.create ?? false });
      return {
        target: layout,
        kind: 'layout',
        name: `oci-layout:${location.path}`,
        ...(location.reference ? { reference: location.reference } : {}),
      };
    }
    const parsed = this.parse(input);
    const reference = parsed.digest ?? parsed.tag;
    if (this.usesLayoutStorage && parsed.registry === this.config.registry.value) {
      const layout = await this.layoutStorage()
        .repository(parsed.repository, { create: options.create ?? false })
        .catch(async (error: unknown) => {
          // the embedded storage has no layout for it: the same answer a registry gives
          if (isNotFound(error)) throw await repositoryNotFound(this, parsed, error);
          throw error;
        });
      return {
        target: layout,
        kind: 'layout',
        name: formatReference({ registry: parsed.registry, repository: parsed.repository }),
        parsed,
        ...(reference ? { reference } : {}),
      };
    }
    const registry = this.registry(parsed.registry, parsed.scheme);
    const direct = options.create === true || options.mirrors === false;
    return {
      target: direct
        ? registry.repository(parsed.repository)
        : this.clients.repository(parsed.registry, parsed.repository, parsed.scheme),
      kind: 'registry',
      name: `${parsed.registry}/${parsed.repository}`,
      parsed,
      registry,
      ...(reference ? { reference } : {}),
    };
  }

  async close(): Promise<void> {
    await this.clients.close().catch(() => undefined);
  }
}

/** Run `work` with a session and always close it. */
export async function withOciSession<T>(
  config: EffectiveConfig,
  options: OciSessionOptions,
  work: (session: OciSession) => Promise<T>,
): Promise<T> {
  const session = new OciSession(config, options);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}

/** `registry/ns/name:tag`, `…@sha256:…`, or `oci-layout:PATH:TAG`. */
export function formatOpenedReference(opened: OpenedTarget, reference: string): string {
  if (opened.parsed) {
    const ref = { registry: opened.parsed.registry, repository: opened.parsed.repository };
    return formatReference(
      reference.includes(':') ? { ...ref, digest: reference } : { ...ref, tag: reference },
    );
  }
  return `${opened.name}${reference.includes(':') ? '@' : ':'}${reference}`;
}
