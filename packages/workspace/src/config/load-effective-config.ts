import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  DEFAULT_NAMESPACES,
  DEFAULT_REGISTRY,
  gitServerUrlProblem,
  homeConfigSchema,
  loadYamlFile,
  ProvisioningError,
  provisioningHome,
  resolvePath,
  type WorkspaceConfig,
  workspaceConfigSchema,
} from '@provisioning/schemas';
import { type ConfigLayer, type LayerSettings, layerFromFile, originsFor } from './config-layer.js';
import { discoverWorkspace, WORKSPACE_CONFIG_FILE } from './discover.js';
import { DEFAULT_TIMEOUT_MS, parseDuration } from './duration.js';
import {
  CONFIG_SOURCES,
  type ConfigFlags,
  type EffectiveConfig,
  type Env,
  type NamespaceKind,
  type Sourced,
} from './effective-config.js';
import { booleanEnv, stringEnv } from './env-values.js';
import { checkNamespace } from './namespace.js';
import { isLoopbackRegistry, parseRegistryEndpoint } from './registry-host.js';

export interface LoadEffectiveConfigOptions {
  /** Where to look for the workspace (default: `process.cwd()`). */
  cwd?: string;
  /** The `PROVISIONING_*` variables to read (default: `process.env`). */
  env?: Env;
  flags?: ConfigFlags;
}

/** File name of the per-user configuration inside `PROVISIONING_HOME`. */
export const HOME_CONFIG_FILE = 'config.yaml';

const BUILT_IN = 'built-in';
const NAMESPACE_KINDS: NamespaceKind[] = ['extensions', 'platform', 'kcl', 'test'];

/**
 * Layers the configuration, later wins: built-in defaults → `$PROVISIONING_HOME/config.yaml` →
 * workspace `config/provisioning.yaml` → `PROVISIONING_*` environment → flags. Each value records
 * its source. Invalid files throw the schemas' `ConfigError` (every problem with file:line:col);
 * invalid variables or flags throw `ENV_INVALID` / `FLAG_INVALID` naming them.
 */
export async function loadEffectiveConfig({
  cwd = process.cwd(),
  env = process.env,
  flags = {},
}: LoadEffectiveConfigOptions): Promise<EffectiveConfig> {
  const home: Sourced<string> = env.PROVISIONING_HOME
    ? { value: provisioningHome(env, cwd), source: 'env', origin: 'PROVISIONING_HOME' }
    : { value: provisioningHome(env, cwd), source: 'default', origin: BUILT_IN };

  const layers: ConfigLayer[] = [];

  const homeConfigFile = join(home.value, HOME_CONFIG_FILE);
  const hasHomeConfig = await isFile(homeConfigFile);
  if (hasHomeConfig) {
    const homeConfig = await loadYamlFile(homeConfigFile, homeConfigSchema);
    layers.push(layerFromFile(homeConfig, homeConfigFile, 'home', home.value, env));
  }

  const workspaceRoot = discoverWorkspace({ cwd, flag: flags.workspace, env });
  let workspaceConfig: WorkspaceConfig | undefined;
  let workspaceConfigFile: string | undefined;
  let workspace: Sourced<string | undefined> = { value: undefined, source: 'default', origin: BUILT_IN };
  if (workspaceRoot !== undefined) {
    workspaceConfigFile = join(workspaceRoot, WORKSPACE_CONFIG_FILE);
    workspaceConfig = await loadYamlFile(workspaceConfigFile, workspaceConfigSchema);
    layers.push(layerFromFile(workspaceConfig, workspaceConfigFile, 'workspace', workspaceRoot, env));
    workspace = flags.workspace
      ? { value: workspaceRoot, source: 'flag', origin: '--workspace' }
      : env.PROVISIONING_WORKSPACE
        ? { value: workspaceRoot, source: 'env', origin: 'PROVISIONING_WORKSPACE' }
        : { value: workspaceRoot, source: 'workspace', origin: workspaceConfigFile };
  }

  layers.push(envLayer(env, cwd), flagLayer(flags));
  for (const layer of layers) validateNamespaces(layer);

  const pick = <T>(key: keyof LayerSettings, fallback: Sourced<T>): Sourced<T> => {
    let result = fallback;
    for (const layer of layers) {
      const value = layer.settings[key];
      if (value !== undefined)
        result = { value: value as T, source: layer.source, origin: layer.origins[key] ?? '' };
    }
    return result;
  };
  const pickNamespace = (kind: NamespaceKind): Sourced<string> => {
    let result: Sourced<string> = { value: DEFAULT_NAMESPACES[kind], source: 'default', origin: BUILT_IN };
    for (const layer of layers) {
      const value = layer.settings.namespaces?.[kind];
      if (value !== undefined) {
        result = { value, source: layer.source, origin: layer.origins[`namespaces.${kind}`] ?? '' };
      }
    }
    return result;
  };

  const mirrors: EffectiveConfig['mirrors'] = {};
  for (const layer of layers) {
    for (const [upstream, list] of Object.entries(layer.settings.mirrors ?? {})) {
      mirrors[upstream] = {
        value: list,
        source: layer.source,
        origin: layer.origins[`mirrors.${upstream}`] ?? '',
      };
    }
  }

  const registry = pick<string>('registry', { value: DEFAULT_REGISTRY, source: 'default', origin: BUILT_IN });
  const loopback = isLoopbackRegistry(registry.value);
  const insecure = pick<boolean>('insecure', { value: false, source: 'default', origin: BUILT_IN });
  const tlsEnabled = insecureMeansHttps(
    pick<boolean>('tlsEnabled', {
      value: !loopback,
      source: 'default',
      origin: loopback
        ? 'built-in: plain HTTP for loopback registries'
        : 'built-in: HTTPS for non-loopback registries',
    }),
    insecure,
  );

  return {
    registry,
    namespaces: Object.fromEntries(NAMESPACE_KINDS.map((k) => [k, pickNamespace(k)])) as Record<
      NamespaceKind,
      Sourced<string>
    >,
    tlsEnabled,
    insecure,
    timeout: pick<number>('timeoutMs', { value: DEFAULT_TIMEOUT_MS, source: 'default', origin: BUILT_IN }),
    cacheDir: pick<string>('cacheDir', {
      value: join(home.value, 'oci-cache'),
      source: 'default',
      origin: BUILT_IN,
    }),
    authTokenPath: pick<string | undefined>('authTokenPath', {
      value: undefined,
      source: 'default',
      origin: BUILT_IN,
    }),
    registryConfig: registryConfigFile(flags, env, cwd, home.value),
    tlsFiles: tlsFiles(flags, env, cwd),
    ...(flags.registryCredential ? { registryCredential: flags.registryCredential } : {}),
    registryType: pick('registryType', { value: 'oci', source: 'default', origin: BUILT_IN }),
    mirrors,
    layoutPath: pick<string>('layoutPath', {
      value: join(home.value, 'oci-registry'),
      source: 'default',
      origin: BUILT_IN,
    }),
    giteaUrl: pick<string | undefined>('giteaUrl', { value: undefined, source: 'default', origin: BUILT_IN }),
    workspace,
    home,
    workspaceConfig,
    workspaceConfigFile,
    homeConfigFile: hasHomeConfig ? homeConfigFile : undefined,
  };
}

/**
 * `insecure` means HTTPS without certificate verification (docs/oci.md, "TLS and plain HTTP"): set
 * in a layer above the one that chose plain HTTP (the loopback default included), it selects
 * HTTPS. Plain HTTP set in the same layer or above stays plain.
 */
function insecureMeansHttps(tlsEnabled: Sourced<boolean>, insecure: Sourced<boolean>): Sourced<boolean> {
  if (tlsEnabled.value || !insecure.value) return tlsEnabled;
  if (CONFIG_SOURCES.indexOf(insecure.source) <= CONFIG_SOURCES.indexOf(tlsEnabled.source)) return tlsEnabled;
  return { value: true, source: insecure.source, origin: `${insecure.origin} (HTTPS without verification)` };
}

/** `PROVISIONING_*` variables; each value's origin is its variable name. */
function envLayer(env: Env, cwd: string): ConfigLayer {
  const settings: LayerSettings = {};
  const origins: Partial<Record<string, string>> = {};
  const set = <K extends keyof LayerSettings>(
    key: K,
    value: LayerSettings[K] | undefined,
    variable: string,
  ) => {
    if (value === undefined) return;
    settings[key] = value;
    origins[key] = variable;
  };

  const registry = stringEnv(env, 'PROVISIONING_REGISTRY');
  if (registry !== undefined) {
    const endpoint = parseRegistryEndpoint(registry, { where: 'PROVISIONING_REGISTRY', code: 'ENV_INVALID' });
    set('registry', endpoint.host, 'PROVISIONING_REGISTRY');
    set('tlsEnabled', endpoint.tls, 'PROVISIONING_REGISTRY');
  }
  const plainHttp = booleanEnv(env, 'PROVISIONING_PLAIN_HTTP');
  set('tlsEnabled', plainHttp === undefined ? undefined : !plainHttp, 'PROVISIONING_PLAIN_HTTP');
  set('insecure', booleanEnv(env, 'PROVISIONING_INSECURE'), 'PROVISIONING_INSECURE');
  const timeout = stringEnv(env, 'PROVISIONING_TIMEOUT');
  set(
    'timeoutMs',
    timeout === undefined
      ? undefined
      : parseDuration(timeout, { where: 'PROVISIONING_TIMEOUT', code: 'ENV_INVALID' }),
    'PROVISIONING_TIMEOUT',
  );
  const giteaUrl = stringEnv(env, 'PROVISIONING_GITEA_URL');
  if (giteaUrl !== undefined) {
    const problem = gitServerUrlProblem(giteaUrl);
    if (problem) {
      throw new ProvisioningError('ENV_INVALID', `PROVISIONING_GITEA_URL: ${problem}`, {
        kind: 'input',
        hint: 'set it to the git server, e.g. https://gitea.company.com',
      });
    }
    set('giteaUrl', giteaUrl.replace(/\/+$/, ''), 'PROVISIONING_GITEA_URL');
  }
  const cacheDir = stringEnv(env, 'PROVISIONING_CACHE_DIR');
  set(
    'cacheDir',
    cacheDir === undefined ? undefined : resolvePath(cacheDir, cwd, env),
    'PROVISIONING_CACHE_DIR',
  );

  const namespaces: Partial<Record<NamespaceKind, string>> = {};
  const extensionsNs = stringEnv(env, 'PROVISIONING_NAMESPACE');
  const platformNs = stringEnv(env, 'PROVISIONING_PLATFORM_NAMESPACE');
  if (extensionsNs !== undefined) {
    namespaces.extensions = extensionsNs;
    origins['namespaces.extensions'] = 'PROVISIONING_NAMESPACE';
  }
  if (platformNs !== undefined) {
    namespaces.platform = platformNs;
    origins['namespaces.platform'] = 'PROVISIONING_PLATFORM_NAMESPACE';
  }
  if (Object.keys(namespaces).length > 0) settings.namespaces = namespaces;
  return { source: 'env', origins, settings };
}

/** `--registry-config`, else `REGISTRY_AUTH_FILE` (as podman, oras and helm read it), else our own. */
function registryConfigFile(flags: ConfigFlags, env: Env, cwd: string, home: string): Sourced<string> {
  if (flags.registryConfig)
    return { value: resolve(cwd, flags.registryConfig), source: 'flag', origin: '--registry-config' };
  if (env.REGISTRY_AUTH_FILE)
    return { value: resolve(cwd, env.REGISTRY_AUTH_FILE), source: 'env', origin: 'REGISTRY_AUTH_FILE' };
  return { value: join(home, 'docker', 'config.json'), source: 'default', origin: BUILT_IN };
}

/**
 * `--ca-file`/`--cert-file`/`--key-file`, else `PROVISIONING_CA_FILE`/`…_CERT_FILE`/`…_KEY_FILE`,
 * resolved against the working directory. A client certificate needs its key and the other way round.
 */
function tlsFiles(flags: ConfigFlags, env: Env, cwd: string): EffectiveConfig['tlsFiles'] {
  const pick = (flag: string | undefined, variable: string) => {
    const value = flag || env[variable];
    return value ? resolve(cwd, value) : undefined;
  };
  const caFile = pick(flags.caFile, 'PROVISIONING_CA_FILE');
  const certFile = pick(flags.certFile, 'PROVISIONING_CERT_FILE');
  const keyFile = pick(flags.keyFile, 'PROVISIONING_KEY_FILE');
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ProvisioningError(
      'FLAG_INVALID',
      certFile
        ? "--cert-file needs --key-file (the client certificate's private key)"
        : '--key-file needs --cert-file',
      { hint: 'give both for mutual TLS, or neither', details: { certFile, keyFile } },
    );
  }
  return {
    ...(caFile ? { caFile } : {}),
    ...(certFile ? { certFile } : {}),
    ...(keyFile ? { keyFile } : {}),
  };
}

/** The global flags; boolean flags only count when given (there is no `--no-plain-http`). */
function flagLayer(flags: ConfigFlags): ConfigLayer {
  const settings: LayerSettings = {};
  const origins: Partial<Record<string, string>> = {};
  if (flags.registry !== undefined) {
    const endpoint = parseRegistryEndpoint(flags.registry, { where: '--registry', code: 'FLAG_INVALID' });
    settings.registry = endpoint.host;
    origins.registry = '--registry';
    if (endpoint.tls !== undefined) {
      settings.tlsEnabled = endpoint.tls;
      origins.tlsEnabled = '--registry';
    }
  }
  if (flags.plainHttp) {
    settings.tlsEnabled = false;
    origins.tlsEnabled = '--plain-http';
  }
  if (flags.insecure) {
    settings.insecure = true;
    origins.insecure = '--insecure';
  }
  if (flags.timeout !== undefined) {
    settings.timeoutMs = parseDuration(flags.timeout, { where: '--timeout', code: 'FLAG_INVALID' });
    origins.timeoutMs = '--timeout';
  }
  if (flags.namespace !== undefined) {
    settings.namespaces = { extensions: flags.namespace };
    Object.assign(origins, originsFor({ namespaces: settings.namespaces }, '--namespace'));
  }
  return { source: 'flag', origins, settings };
}

function validateNamespaces(layer: ConfigLayer): void {
  for (const [kind, value] of Object.entries(layer.settings.namespaces ?? {})) {
    const origin = layer.origins[`namespaces.${kind}`] ?? layer.source;
    checkNamespace(value, origin, layer.source);
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
