import { ProvisioningError } from '@provisioning/schemas';
import type { ConfigSource, Env, NamespaceKind, RegistryType } from './effective-config.js';
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
    hint: 'use "oci" for any OCI registry (Gitea and Forgejo serve one at /v2/), or "oci-layout" for a directory',
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

  return { source, origins: originsFor(settings, file), settings };
}

/** Every set value of a layer gets the same origin (one file, one variable per value otherwise). */
export function originsFor(settings: LayerSettings, origin: string): Partial<Record<string, string>> {
  const origins: Partial<Record<string, string>> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (key === 'namespaces') {
      for (const ns of Object.keys(value as object)) origins[`namespaces.${ns}`] = origin;
    } else if (value !== undefined) {
      origins[key] = origin;
    }
  }
  return origins;
}
