import type { WorkspaceConfig } from '@provisioning/schemas';

/** Where an effective value came from, lowest precedence first. */
export type ConfigSource = 'default' | 'home' | 'workspace' | 'env' | 'flag';

export const CONFIG_SOURCES: readonly ConfigSource[] = ['default', 'home', 'workspace', 'env', 'flag'];

/**
 * A setting together with the layer that decided it. `origin` is the file path for `home` and
 * `workspace`, the variable name for `env`, the flag (`--registry`) for `flag`, and `built-in`
 * (with a reason where the default depends on something) for `default`.
 */
export interface Sourced<T> {
  value: T;
  source: ConfigSource;
  origin: string;
}

export type RegistryType = 'oci' | 'oci-layout';

/** One mirror of an upstream registry; `tls` is set when the entry carried `https://` or `http://`. */
export interface MirrorEndpoint {
  host: string;
  tls?: boolean;
}

export type NamespaceKind = 'extensions' | 'platform' | 'kcl' | 'test';

/** The settings every command works with, after layering (docs/configuration.md). */
export interface EffectiveConfig {
  /** Registry `host[:port]`, never with a scheme. */
  registry: Sourced<string>;
  namespaces: Record<NamespaceKind, Sourced<string>>;
  /** HTTPS (true) or plain HTTP (false). */
  tlsEnabled: Sourced<boolean>;
  /** HTTPS without certificate verification. */
  insecure: Sourced<boolean>;
  /**
   * How long a registry may keep a command waiting, in ms: for an answer in total across retries,
   * and for the next bytes of a transfer (docs/oci.md, "Timeouts and retries").
   */
  timeout: Sourced<number>;
  cacheDir: Sourced<string>;
  authTokenPath: Sourced<string | undefined>;
  /** The docker-format auth file `oci login` writes and reads first (docs/oci.md, "Credentials"). */
  registryConfig: Sourced<string>;
  /**
   * One-off credentials for the configured registry (`-u USER --password-stdin`): used for this
   * command only, never stored, never shown by `oci config`.
   */
  registryCredential?: { username: string; password: string };
  /** PEM files for TLS to the configured registry: a private CA, a client certificate and its key. */
  tlsFiles: { caFile?: string; certFile?: string; keyFile?: string };
  registryType: Sourced<RegistryType>;
  /**
   * Registry mirrors by upstream host (`dependencies.registry.mirrors`): tried in order before the
   * upstream for reads; pushes go to the upstream only (docs/sources.md, "Registry mirrors").
   */
  mirrors: Record<string, Sourced<MirrorEndpoint[]>>;
  /** Root of the local OCI layout storage (used when `registryType` is `oci-layout`). */
  layoutPath: Sourced<string>;
  /** Git server base URL of `gitea://` references and `source_type: gitea` (docs/sources.md). */
  giteaUrl: Sourced<string | undefined>;
  /** Workspace root directory, if one was given or found. */
  workspace: Sourced<string | undefined>;
  /** `PROVISIONING_HOME`. */
  home: Sourced<string>;
  /** The parsed `config/provisioning.yaml` of the workspace, for commands that need more keys. */
  workspaceConfig: WorkspaceConfig | undefined;
  workspaceConfigFile: string | undefined;
  /** `$PROVISIONING_HOME/config.yaml` when it exists. */
  homeConfigFile: string | undefined;
}

/** Flags that take part in layering (the CLI's global flags). Undefined = not given. */
export interface ConfigFlags {
  workspace?: string | undefined;
  registry?: string | undefined;
  namespace?: string | undefined;
  plainHttp?: boolean | undefined;
  insecure?: boolean | undefined;
  /** `--registry-config FILE`: the auth file to read and write instead of the default. */
  registryConfig?: string | undefined;
  /** `-u USER --password-stdin`: credentials for the configured registry, this command only. */
  registryCredential?: { username: string; password: string } | undefined;
  /** `--ca-file`, `--cert-file`, `--key-file`. */
  caFile?: string | undefined;
  certFile?: string | undefined;
  keyFile?: string | undefined;
  /** `--timeout` as typed (`30`, `30s`, `2m`). */
  timeout?: string | undefined;
}

export type Env = Readonly<Record<string, string | undefined>>;
