import { readFileSync } from 'node:fs';
/**
 * Opening the place an extension lives: a repository on the configured registry, or a repository of
 * the embedded OCI-layout storage (`registry.type: oci-layout`). Both are `ContentTarget`s, so the
 * `oci` commands and the resolver's source treat them alike.
 */
import {
  type ContentTarget,
  type CredentialProvider,
  defaultCredentialProvider,
  type LayoutArchive,
  LayoutStore,
  MirroredRepository,
  Registry,
  type RegistryOptions,
  type TlsMaterial,
} from '@provisioning/oci-client';
import { asFileSystemError, ProvisioningError, parseReference } from '@provisioning/schemas';
import type { EffectiveConfig, MirrorEndpoint } from '../config/effective-config.js';

export interface RegistryAccess {
  /** The configured registry; its TLS settings apply to it. Other hosts use the client default (plain HTTP for loopback only). */
  registry: string;
  tlsEnabled: boolean;
  insecure: boolean;
  authTokenPath?: string | undefined;
  /** The docker-format auth file read first (`--registry-config`, `REGISTRY_AUTH_FILE`). */
  authFile?: string | undefined;
  /** One-off credentials for `registry` only (`-u USER --password-stdin`), never stored. */
  registryCredential?: { username: string; password: string } | undefined;
  /** PEM files for TLS to the configured registry (`--ca-file`, `--cert-file`, `--key-file`). */
  tlsFiles?: { caFile?: string; certFile?: string; keyFile?: string } | undefined;
  home: string;
  /**
   * Mirrors by upstream host: reads try them in order before the upstream, writes never go there
   * (docs/sources.md, "Registry mirrors").
   */
  mirrors?: Readonly<Record<string, readonly MirrorEndpoint[]>> | undefined;
  /**
   * A bundle to read everything from instead of any registry (`dep resolve --from-bundle`,
   * docs/air-gap.md): repositories are looked up by their original reference.
   */
  bundle?: LayoutArchive | undefined;
  debug?: (line: string) => void;
  /** Retry tuning (tests use tiny delays). */
  retry?: RegistryOptions['retry'];
  /** Registry timeout in ms (docs/oci.md, "Timeouts and retries"); the client default when absent. */
  timeoutMs?: number | undefined;
  /**
   * Told once what a slow request waits for. Default: written to stderr when it is a terminal, so
   * a user staring at a silent command learns which registry holds it.
   */
  notice?: ((line: string) => void) | undefined;
}

function terminalNotice(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** One `Registry` client per host for the duration of a command (connection pool, token cache). */
export class RegistryClients {
  private readonly clients = new Map<string, Registry>();
  /** Hosts that did not answer during this command: mirrored reads skip them from then on. */
  private readonly unreachable = new Map<string, unknown>();

  constructor(private readonly access: RegistryAccess) {}

  /** Clients for a workspace's settings (its registry, TLS, auth token path and home). */
  static forSettings(
    settings: Pick<
      RegistryAccess,
      | 'registry'
      | 'tlsEnabled'
      | 'insecure'
      | 'authTokenPath'
      | 'authFile'
      | 'registryCredential'
      | 'home'
      | 'timeoutMs'
      | 'mirrors'
    >,
    options: { debug?: ((line: string) => void) | undefined; bundle?: LayoutArchive | undefined } = {},
  ): RegistryClients {
    const {
      registry,
      tlsEnabled,
      insecure,
      authTokenPath,
      authFile,
      registryCredential,
      home,
      timeoutMs,
      mirrors,
    } = settings;
    return new RegistryClients({
      mirrors,
      ...(options.bundle ? { bundle: options.bundle } : {}),
      ...(options.debug ? { debug: options.debug } : {}),
      registry,
      tlsEnabled,
      insecure,
      authTokenPath,
      authFile,
      registryCredential,
      home,
      timeoutMs,
    });
  }

  /**
   * The client for `host`. `scheme` (from a reference written `https://…` or `http://…`) decides
   * the transport for it; otherwise the configured registry uses its TLS setting, and other hosts
   * the client default: plain HTTP for loopback unless `insecure` (docs/oci.md, "TLS and plain HTTP").
   */
  registry(host: string, scheme?: 'https' | 'http'): Registry {
    const key = scheme === undefined ? host : `${scheme}://${host}`;
    let client = this.clients.get(key);
    if (!client) {
      const plainHttp =
        scheme !== undefined
          ? scheme === 'http'
          : host === this.access.registry
            ? !this.access.tlsEnabled
            : undefined;
      const options: RegistryOptions = {
        insecure: this.access.insecure,
        // auth_token_path belongs to the configured registry only; other hosts use the store / Docker config
        credentials: this.credentialsFor(host),
        ...(host === this.access.registry ? this.tlsMaterial() : {}),
        ...(plainHttp === undefined ? {} : { plainHttp }),
        ...(this.access.debug ? { debug: this.access.debug } : {}),
        ...(this.access.retry ? { retry: this.access.retry } : {}),
        ...(this.access.timeoutMs === undefined ? {} : { timeout: this.access.timeoutMs }),
      };
      const notice =
        'notice' in this.access ? this.access.notice : process.stderr.isTTY ? terminalNotice : undefined;
      if (notice) options.notice = notice;
      client = new Registry(host, options);
      this.clients.set(key, client);
    }
    return client;
  }

  /** The configured registry's PEM files, read once per command (small files; a missing one is named). */
  private tls: { tls?: TlsMaterial } | undefined;
  private tlsMaterial(): { tls?: TlsMaterial } {
    if (this.tls) return this.tls;
    const files = this.access.tlsFiles ?? {};
    const read = (path: string | undefined, flag: string) => {
      if (path === undefined) return undefined;
      try {
        return readFileSync(path);
      } catch (cause) {
        const mapped = asFileSystemError(cause, path);
        if (mapped !== cause) throw mapped;
        throw new ProvisioningError('FILE_NOT_FOUND', `${flag} ${path}: no such file`, {
          hint: `check the path given to ${flag} (a PEM file)`,
          cause,
          details: { file: path },
        });
      }
    };
    const ca = read(files.caFile, '--ca-file');
    const cert = read(files.certFile, '--cert-file');
    const key = read(files.keyFile, '--key-file');
    this.tls =
      ca || cert || key
        ? { tls: { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) } }
        : {};
    return this.tls;
  }

  /**
   * One-off `-u`/`--password-stdin` credentials first (configured registry only), then
   * auth_token_path (configured registry only), the login file, older logins, podman, Docker.
   */
  private credentialsFor(host: string): CredentialProvider {
    const own = host === this.access.registry;
    const oneOff = own ? this.access.registryCredential : undefined;
    if (oneOff) return async () => ({ ...oneOff });
    return defaultCredentialProvider({
      home: this.access.home,
      ...(this.access.authFile ? { authFile: this.access.authFile } : {}),
      ...(own && this.access.authTokenPath ? { tokenPath: this.access.authTokenPath } : {}),
      ...(this.access.debug ? { debug: this.access.debug } : {}),
    });
  }

  /**
   * A repository to read from: through the mirrors configured for `host`, when there are any. A
   * reference written with a scheme names one endpoint and skips them.
   */
  repository(host: string, repository: string, scheme?: 'https' | 'http'): ContentTarget {
    if (this.access.bundle) return this.access.bundle.repository(`${host}/${repository}`);
    const upstream = this.registry(host, scheme).repository(repository);
    const mirrors = scheme === undefined ? this.mirrorsOf(host) : [];
    if (mirrors.length === 0) return upstream;
    return new MirroredRepository(
      upstream,
      mirrors.map((mirror) => this.registry(mirror.host, schemeOf(mirror)).repository(repository)),
      { unreachable: this.unreachable, ...(this.access.debug ? { debug: this.access.debug } : {}) },
    );
  }

  /** The mirrors configured for `host`, in order (none for most hosts). */
  mirrorsOf(host: string): readonly MirrorEndpoint[] {
    return this.access.mirrors?.[host] ?? [];
  }

  /** Close every connection pool (a CLI process would otherwise wait for keep-alive timeouts). */
  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((client) => client.close()));
  }
}

function schemeOf(mirror: MirrorEndpoint): 'https' | 'http' | undefined {
  return mirror.tls === undefined ? undefined : mirror.tls ? 'https' : 'http';
}

/** Upstream host → its mirrors, without where each came from. */
export function mirrorsFromEffectiveConfig(effective: EffectiveConfig): Record<string, MirrorEndpoint[]> {
  return Object.fromEntries(Object.entries(effective.mirrors).map(([host, list]) => [host, list.value]));
}

export function registryAccessFromEffectiveConfig(effective: EffectiveConfig): RegistryAccess {
  return {
    mirrors: mirrorsFromEffectiveConfig(effective),
    registry: effective.registry.value,
    tlsEnabled: effective.tlsEnabled.value,
    insecure: effective.insecure.value,
    authTokenPath: effective.authTokenPath.value,
    authFile: effective.registryConfig.value,
    registryCredential: effective.registryCredential,
    tlsFiles: effective.tlsFiles,
    home: effective.home.value,
    timeoutMs: effective.timeout.value,
  };
}

/**
 * The repository holding extension `name` (a short name like `redis`, or any reference form):
 * `<registry>/<extensions namespace>/<name>` on the configured registry, or the same repository in
 * the layout storage when `registryType` is `oci-layout`.
 */
export async function openExtensionRepository(
  effective: EffectiveConfig,
  name: string,
): Promise<ContentTarget> {
  const ref = parseReference(name, {
    registry: effective.registry.value,
    namespace: effective.namespaces.extensions.value,
  });
  if (effective.registryType.value === 'oci-layout') {
    return new LayoutStore(effective.layoutPath.value).repository(ref.repository);
  }
  return new RegistryClients(registryAccessFromEffectiveConfig(effective)).repository(
    ref.registry,
    ref.repository,
  );
}
