import { isValidRepository, ProvisioningError } from '@provisioning/schemas';
import { Authenticator } from '../auth/authenticator.js';
import { CATALOG_SCOPE } from '../auth/scope.js';
import type { TokenCache } from '../auth/token-cache.js';
import { defaultCredentialProvider } from '../credentials/provider.js';
import type { Credential, CredentialProvider } from '../credentials/types.js';
import { RegistryError } from '../http/errors.js';
import { registryBaseUrl } from '../http/origin.js';
import type { RetryPolicy } from '../http/retry.js';
import { SCHEME_MISMATCH } from '../http/scheme-mismatch.js';
import { responseHeader, type TlsMaterial, Transport, type TransportTimeouts } from '../http/transport.js';
import { digestOf } from '../layout/digest.js';
import type { Capabilities, RepositoryContext } from './context.js';
import { listPaginated } from './listing.js';
import { RegistryRepository } from './repository.js';

/** Names asked for per catalog page: Distribution's default `catalog.maxentries`. */
const CATALOG_PAGE_SIZE = 1000;

export interface RegistryOptions {
  /**
   * Use plain HTTP. Default: true for loopback hosts unless `insecure` is set, false otherwise
   * (docs/oci.md, "TLS and plain HTTP").
   */
  plainHttp?: boolean;
  /** HTTPS without certificate verification: implies HTTPS unless `plainHttp` is set. */
  insecure?: boolean;
  /** PEM of a private CA to trust, and a client certificate and key for mutual TLS. */
  tls?: TlsMaterial;
  /**
   * Where credentials come from: a provider, a fixed credential, or null for anonymous.
   * Default: `defaultCredentialProvider()` (auth token file, our store, Docker config).
   */
  credentials?: CredentialProvider | Credential | null;
  /** Extra headers, sent to this registry's origin only. */
  headers?: Record<string, string>;
  retry?: Partial<RetryPolicy>;
  /** Concurrent requests to this registry (default 5). */
  concurrency?: number;
  userAgent?: string;
  /** Receives one line per request (method, origin + path, status); never headers or secrets. */
  debug?: (line: string) => void;
  /** Chunk size for chunked uploads (default 8 MiB). */
  chunkSize?: number;
  /**
   * Larger blobs are uploaded in chunks (default 1 GiB). Below it a blob streams in one PUT, as
   * oras-go does for every size: chunks are buffered in memory and cost a round trip each, which
   * halved throughput and added ~2 × chunkSize of RSS for a 512 MiB artifact.
   */
  monolithicMaxBytes?: number;
  /** Share bearer tokens between clients. */
  tokenCache?: TokenCache;
  /**
   * How long the registry may keep us waiting, in ms (default 60 s): for a request's response
   * headers in total across retries (an upload's progress restarts it), and for any silence inside
   * a response body. `timeouts` tunes the parts one by one (docs/oci.md, "Timeouts and retries").
   */
  timeout?: number;
  timeouts?: Partial<TransportTimeouts>;
  /** Told once what a request is waiting for when it has waited 5 s (the CLI shows it on a TTY). */
  notice?: (line: string) => void;
}

/**
 * A client for one registry origin (scheme + host + port): one undici Agent, one authenticator,
 * one concurrency limiter, shared by every repository it hands out.
 */
export class Registry {
  readonly host: string;
  readonly baseUrl: URL;
  readonly origin: string;
  readonly capabilities: Capabilities = {};
  private readonly transport: Transport;

  constructor(
    host: string,
    private readonly options: RegistryOptions = {},
  ) {
    this.host = host;
    // `insecure` means "HTTPS, unverified": it turns the plain-HTTP default of loopback hosts off.
    this.baseUrl = registryBaseUrl(
      host,
      options.plainHttp ?? (options.insecure === true ? false : undefined),
    );
    this.origin = this.baseUrl.origin;
    const credentials = options.credentials;
    const provider: CredentialProvider | undefined =
      credentials === null
        ? undefined
        : credentials === undefined
          ? defaultCredentialProvider()
          : typeof credentials === 'function'
            ? credentials
            : async () => credentials;
    let transport: Transport | undefined;
    const authenticator = new Authenticator({
      origin: this.origin,
      host,
      credentials: provider,
      cache: options.tokenCache,
      fetchToken: (url, init) => transport!.fetchToken(url, init),
    });
    transport = new Transport({
      origin: this.origin,
      authenticator,
      headers: options.headers,
      userAgent: options.userAgent,
      insecure: options.insecure,
      ...(options.tls ? { tls: options.tls } : {}),
      retry: options.retry,
      concurrency: options.concurrency,
      debug: options.debug,
      timeouts: {
        ...(options.timeout === undefined ? {} : { response: options.timeout, idle: options.timeout }),
        ...options.timeouts,
      },
      ...(options.notice ? { notice: options.notice } : {}),
    });
    this.transport = transport;
  }

  /** A repository (`ns/name`) on this registry; the name is validated first. */
  repository(name: string): RegistryRepository {
    if (!isValidRepository(name)) {
      throw new ProvisioningError(
        'REPOSITORY_NAME_INVALID',
        `invalid repository name ${JSON.stringify(name)} on ${this.host}`,
        {
          kind: 'input',
          hint: 'use lowercase letters and digits separated by ".", "_", "__", "-" and "/"',
          details: { repository: name },
        },
      );
    }
    const ctx: RepositoryContext = {
      transport: this.transport,
      baseUrl: this.baseUrl,
      host: this.host,
      name,
      capabilities: this.capabilities,
      chunkSize: this.options.chunkSize ?? 8 * 1024 * 1024,
      monolithicMaxBytes: this.options.monolithicMaxBytes ?? 1024 * 1024 * 1024,
    };
    return new RegistryRepository(ctx);
  }

  /**
   * GET `/v2/`, answering an auth challenge with the configured credentials: resolves when the
   * registry accepts us, throws `UNAUTHORIZED` when it does not, `NOT_A_REGISTRY` on other answers.
   */
  async ping(): Promise<void> {
    const ctx = { host: this.host, operation: 'connect to', reference: this.host };
    const res = await this.transport.send({ method: 'GET', url: new URL('/v2/', this.baseUrl), ctx });
    if (res.status === 200) {
      await res.body.dump();
      return;
    }
    if (res.status === 401 || res.status === 403) throw await this.transport.errorFrom(res, ctx);
    if (res.status === 400) {
      // plain HTTP to an HTTPS port answers 400: say which scheme to use, not "not a registry"
      const error = await this.transport.errorFrom(res, ctx);
      if (error.code === SCHEME_MISMATCH) throw error;
    }
    await res.body.dump().catch(() => undefined);
    throw new RegistryError(
      'NOT_A_REGISTRY',
      `${this.host} does not look like an OCI registry (GET /v2/ → HTTP ${res.status})`,
      {
        status: res.status,
        hint: 'check the registry address and port',
        details: { host: this.host },
      },
    );
  }

  /**
   * Probe what this registry supports, using `repository` for the repository-level probes:
   * the referrers API (200 with an image index for an unknown subject) and single-POST
   * monolithic upload (201 for an empty blob pushed with `?digest=`). Results are cached.
   */
  async probeCapabilities(repository: string): Promise<Capabilities> {
    const repo = this.repository(repository);
    const empty = Buffer.alloc(0);
    const emptyDigest = digestOf(empty);
    if (this.capabilities.referrersApi === undefined) {
      // listReferrers records the answer in the shared capabilities.
      await repo.referrers(emptyDigest).catch(() => undefined);
    }
    if (this.capabilities.singlePostUpload === undefined) {
      const url = new URL(`/v2/${repository}/blobs/uploads/`, this.baseUrl);
      url.searchParams.set('digest', emptyDigest);
      const ctx = { host: this.host, operation: 'probe uploads of', reference: `${this.host}/${repository}` };
      const res = await this.transport.expect(
        {
          method: 'POST',
          url,
          headers: { 'content-type': 'application/octet-stream', 'content-length': '0' },
          body: empty,
          scopes: [`repository:${repository}:pull,push`],
          ctx,
        },
        [201, 202],
      );
      await res.body.dump();
      this.capabilities.singlePostUpload = res.status === 201;
      const location = responseHeader(res.headers, 'location');
      if (res.status === 202 && location !== undefined) {
        // Cancel the session the registry opened instead.
        const cancel = await this.transport
          .send({
            method: 'DELETE',
            url: new URL(location, res.url),
            scopes: [`repository:${repository}:pull,push`],
            ctx,
          })
          .catch(() => undefined);
        await cancel?.body.dump();
      }
    }
    return { ...this.capabilities };
  }

  /**
   * Every repository name (`/v2/_catalog`, following `Link` pages on this origin only). Asks for
   * CATALOG_PAGE_SIZE names a page: Distribution's default page is 100 and it walks its storage from
   * the start up to the page's position for every page, so small pages make a large catalog cost
   * quadratic time. Registries with a lower limit answer fewer names and a next-page link.
   */
  async catalog(): Promise<string[]> {
    return listPaginated(
      this.transport,
      new URL(`/v2/_catalog?n=${CATALOG_PAGE_SIZE}`, this.baseUrl),
      'repositories',
      [CATALOG_SCOPE],
      {
        host: this.host,
        operation: 'list repositories of',
        reference: this.host,
      },
    );
  }

  /** Release the connection pool. */
  async close(): Promise<void> {
    await this.transport.close();
  }
}
