import { ProvisioningError } from '@provisioning/schemas';
import type { ConfigSource, Env, MirrorEndpoint, NamespaceKind, RegistryType } from './effective-config.js';
import { resolveConfigPath } from './home.js';
import { parseRegistryEndpoint, type ValueLocation } from './registry-host.js';

/** The settings one layer (a file, the environment, the flags) may set; absent = not set there. */
export interface LayerSettings {
  registry?: string;
  tlsEnabled?: boolean;
  insecure?: boolean;
  namespaces?: Partial<Record<NamespaceKind, string>>;
  cacheDir?: string;
  authTokenPath?: string;
  registryType?: RegistryType;
  layoutPath?: string;
  /** Registry timeout in ms (`PROVISIONING_TIMEOUT`, `--timeout`). */
  timeoutMs?: number;
  /** Upstream host → its mirrors in order (`dependencies.registry.mirrors`); per upstream, later layers win. */
  mirrors?: Record<string, MirrorEndpoint[]>;
  /** Git server of `gitea://` references and `source_type: gitea` (docs/sources.md). */
  giteaUrl?: string;
}

export interface ConfigLayer {
  source: ConfigSource;
  /** Origin per setting (file path, variable or flag name); `namespaces.x` keys for namespaces. */
  origins: Partial<Record<string, string>>;
  settings: LayerSettings;
}

/**
 * The keys of `provisioning.yaml` / `config.yaml` this module reads (seed "Workspace Configuration"
 * and "Remote Registry" examples). Both schemas' parsed types fit this shape.
 */
export interface ConfigFileShape {
  dependencies?:
    | {
        extensions?:
          | {
              source_type?: string | undefined;
              oci?:
                | {
                    registry?: string | undefined;
                    namespace?: string | undefined;
                    tls_enabled?: boolean | undefined;
                    auth_token_path?: string | undefined;
                    plain_http?: boolean | undefined;
                    insecure?: boolean | undefined;
                  }
                | undefined;
              oci_layout?: { path?: string | undefined } | undefined;
              gitea?: { url?: string | undefined } | undefined;
            }
          | undefined;
        platform?: { oci?: { namespace?: string | undefined } | undefined } | undefined;
        registry?:
          | {
              type?: string | undefined;
              path?: string | undefined;
              mirrors?: Record<string, string[]> | undefined;
              oci?:
                | {
                    endpoint?: string | undefined;
                    namespaces?: Partial<Record<NamespaceKind, string | undefined>> | undefined;
                    tls_enabled?: boolean | undefined;
                    auth_token_path?: string | undefined;
                    plain_http?: boolean | undefined;
                    insecure?: boolean | undefined;
                  }
                | undefined;
            }
          | undefined;
      }
    | undefined;
}

interface TlsKeys {
  tls_enabled?: boolean | undefined;
  plain_http?: boolean | undefined;
}

/** `plain_http` is the inverse of `tls_enabled`; it wins when both are given (and agree). */
function tlsOf(section: TlsKeys): boolean | undefined {
  return section.plain_http === undefined ? section.tls_enabled : !section.plain_http;
}

function checkNoContradiction(section: TlsKeys, file: string, path: string): void {
  if (section.plain_http === undefined || section.tls_enabled === undefined) return;
  if (section.plain_http !== section.tls_enabled) return;
  throw new ProvisioningError(
    'CONFIG_INVALID',
    `${file}: ${path}: plain_http: ${section.plain_http} contradicts tls_enabled: ${section.tls_enabled}`,
    { kind: 'input', hint: 'keep only one of plain_http and tls_enabled', details: { file, path } },
  );
}

/** Kinds the schema names (they are the architecture document's) that this version cannot use yet. */
const UNSUPPORTED_KINDS = new Set(['gitea', 'http']);

function checkSupportedKind(value: string | undefined, file: string, key: string): void {
  if (value === undefined || !UNSUPPORTED_KINDS.has(value)) return;
  throw new ProvisioningError('CONFIG_UNSUPPORTED', `${file}: ${key}: "${value}" is not supported yet`, {
    kind: 'input',
    hint:
      'use "oci" for any OCI registry (Gitea and Forgejo serve one at /v2/), or "oci-layout" for a directory' +
      (value === 'http'
        ? '; to install without a registry, use `provisioning dep resolve --from-bundle FILE.tar` (docs/sources.md, "HTTP sources")'
        : ''),
    details: { file, key, value },
  });
}

/**
 * Reads one configuration file's settings. Within a file the specific section wins over the
 * general one: `dependencies.extensions.oci.*` over `dependencies.registry.oci.*`. Relative paths
 * are resolved against `baseDir` (the workspace root, or the provisioning home).
 */
export function layerFromFile(
  config: ConfigFileShape,
  file: string,
  source: 'home' | 'workspace',
  baseDir: string,
  env: Env,
): ConfigLayer {
  const deps = config.dependencies ?? {};
  const ext = deps.extensions ?? {};
  const extOci = ext.oci ?? {};
  const reg = deps.registry ?? {};
  const regOci = reg.oci ?? {};
  const settings: LayerSettings = {};
  const at = (key: string): ValueLocation => ({ where: `${file}: ${key}`, code: 'CONFIG_INVALID' });

  const registryKey =
    extOci.registry !== undefined
      ? 'dependencies.extensions.oci.registry'
      : 'dependencies.registry.oci.endpoint';
  const rawRegistry = extOci.registry ?? regOci.endpoint;
  let schemeTls: boolean | undefined;
  if (rawRegistry !== undefined) {
    const endpoint = parseRegistryEndpoint(rawRegistry, at(registryKey));
    settings.registry = endpoint.host;
    schemeTls = endpoint.tls;
  }

  checkNoContradiction(extOci, file, 'dependencies.extensions.oci');
  checkNoContradiction(regOci, file, 'dependencies.registry.oci');
  const tls = tlsOf(extOci) ?? tlsOf(regOci) ?? schemeTls;
  if (tls !== undefined) settings.tlsEnabled = tls;
  const insecure = extOci.insecure ?? regOci.insecure;
  if (insecure !== undefined) settings.insecure = insecure;

  const namespaces: Partial<Record<NamespaceKind, string>> = {};
  const extensionsNs = extOci.namespace ?? regOci.namespaces?.extensions;
  const platformNs = deps.platform?.oci?.namespace ?? regOci.namespaces?.platform;
  if (extensionsNs !== undefined) namespaces.extensions = extensionsNs;
  if (platformNs !== undefined) namespaces.platform = platformNs;
  if (regOci.namespaces?.kcl !== undefined) namespaces.kcl = regOci.namespaces.kcl;
  if (regOci.namespaces?.test !== undefined) namespaces.test = regOci.namespaces.test;
  if (Object.keys(namespaces).length > 0) settings.namespaces = namespaces;

  const tokenPath = extOci.auth_token_path ?? regOci.auth_token_path;
  if (tokenPath !== undefined) settings.authTokenPath = resolveConfigPath(tokenPath, baseDir, env);

  // source_type: gitea reads a git repository (docs/sources.md); registry.type: gitea stays refused
  if (ext.source_type !== 'gitea')
    checkSupportedKind(ext.source_type, file, 'dependencies.extensions.source_type');
  if (ext.gitea?.url !== undefined) settings.giteaUrl = ext.gitea.url.replace(/\/+$/, '');
  checkSupportedKind(reg.type, file, 'dependencies.registry.type');
  if (ext.source_type === 'oci-layout' || reg.type === 'oci-layout') settings.registryType = 'oci-layout';
  else if (ext.source_type === 'oci' || reg.type === 'oci') settings.registryType = 'oci';
  const layoutPath = ext.oci_layout?.path ?? reg.path;
  if (layoutPath !== undefined) settings.layoutPath = resolveConfigPath(layoutPath, baseDir, env);
  if (reg.mirrors !== undefined) settings.mirrors = mirrorsOf(reg.mirrors, file);

  return { source, origins: originsFor(settings, file), settings };
}

/** `dependencies.registry.mirrors`, hosts normalised like the registry setting (a scheme picks TLS). */
function mirrorsOf(mirrors: Record<string, string[]>, file: string): Record<string, MirrorEndpoint[]> {
  const out: Record<string, MirrorEndpoint[]> = {};
  for (const [upstream, list] of Object.entries(mirrors)) {
    const key = `dependencies.registry.mirrors.${upstream}`;
    const upstreamHost = parseRegistryEndpoint(upstream, {
      where: `${file}: dependencies.registry.mirrors`,
      code: 'CONFIG_INVALID',
    }).host;
    out[upstreamHost] = list.map((entry, index) => {
      const endpoint = parseRegistryEndpoint(entry, {
        where: `${file}: ${key}[${index}]`,
        code: 'CONFIG_INVALID',
      });
      if (endpoint.host === upstreamHost) {
        throw new ProvisioningError(
          'CONFIG_INVALID',
          `${file}: ${key}[${index}]: a registry cannot mirror itself`,
          {
            kind: 'input',
            hint: 'list other registries as mirrors of this upstream',
            details: { file, key },
          },
        );
      }
      return endpoint.tls === undefined
        ? { host: endpoint.host }
        : { host: endpoint.host, tls: endpoint.tls };
    });
  }
  return out;
}

/** Every set value of a layer gets the same origin (one file, one variable per value otherwise). */
export function originsFor(settings: LayerSettings, origin: string): Partial<Record<string, string>> {
  const origins: Partial<Record<string, string>> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (key === 'namespaces' || key === 'mirrors') {
      for (const sub of Object.keys(value as object)) origins[`${key}.${sub}`] = origin;
    } else if (value !== undefined) {
      origins[key] = origin;
    }
  }
  return origins;
}
