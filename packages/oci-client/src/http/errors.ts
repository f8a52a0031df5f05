import { type ErrorCode, type ErrorKind, isErrorCode, ProvisioningError } from '@provisioning/schemas';
import { formatDuration } from './deadline.js';

/** What a request was for, so error messages name the reference and the way out. */
export interface RequestContext {
  /** Registry host (`127.0.0.1:5000`, `ghcr.io`). */
  host: string;
  /** Short verb phrase: "fetch manifest", "push blob", "list tags". */
  operation: string;
  /** Full reference or location the user recognises (`host/ns/name:1.0.0`). */
  reference?: string;
  repository?: string;
  /** Tag or digest the request was about. */
  target?: string;
}

/** One entry of a distribution-spec error body. */
export interface RegistryErrorEntry {
  code: string;
  message?: string;
  detail?: unknown;
}

/**
 * A failed registry exchange: keeps the HTTP status, the spec's error code and whether retrying
 * can help (HTTP errors carry status and retryability — sigstore-js style).
 */
export class RegistryError extends ProvisioningError {
  override readonly name = 'RegistryError';
  readonly status: number | undefined;
  readonly registryCode: string | undefined;
  readonly retryable: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      kind?: ErrorKind;
      hint?: string;
      cause?: unknown;
      status?: number;
      registryCode?: string;
      retryable?: boolean;
      details?: Record<string, unknown>;
    },
  ) {
    super(code, message, {
      kind: options.kind ?? 'registry',
      hint: options.hint,
      cause: options.cause,
      details: {
        ...options.details,
        ...(options.status === undefined ? {} : { status: options.status }),
        ...(options.registryCode === undefined ? {} : { registryCode: options.registryCode }),
        retryable: options.retryable ?? false,
      },
    });
    this.status = options.status;
    this.registryCode = options.registryCode;
    this.retryable = options.retryable ?? false;
  }
}

/** Parse `{"errors":[…]}` defensively: 4xx bodies may be HTML, plain text or nothing. */
export function parseErrorBody(body: string): RegistryErrorEntry[] {
  if (body.trim() === '') return [];
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return [];
    const errors = (parsed as { errors?: unknown }).errors;
    if (!Array.isArray(errors)) return [];
    return errors
      .filter(
        (e): e is Record<string, unknown> =>
          typeof e === 'object' && e !== null && typeof e.code === 'string',
      )
      .map((e) => ({
        code: String(e.code),
        message: typeof e.message === 'string' ? e.message : undefined,
        detail: e.detail,
      }));
  } catch {
    return [];
  }
}

/** Keep server text short and on one line; it never contains our secrets. */
function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status !== 501 && status !== 505);
}

/** Map an unsuccessful registry response to a `RegistryError` naming the reference and what to do. */
export function registryErrorFromResponse(status: number, body: string, ctx: RequestContext): RegistryError {
  const entries = parseErrorBody(body);
  const first = entries[0];
  const registryCode = first?.code;
  const serverSays = first?.message ?? (entries.length === 0 ? oneLine(body) : '');
  const subject = ctx.reference ?? ctx.repository ?? ctx.host;
  const base = `${ctx.operation} ${subject} failed: HTTP ${status}${registryCode ? ` ${registryCode}` : ''}${serverSays ? ` (${oneLine(serverSays)})` : ''}`;
  const retryable = isRetryableStatus(status);
  const make = (code: ErrorCode, hint: string) =>
    new RegistryError(code, base, { status, registryCode, retryable, hint, details: { ...ctx } });

  if (status === 401 || registryCode === 'UNAUTHORIZED') {
    return make(
      'UNAUTHORIZED',
      `log in first: run \`provisioning oci login ${ctx.host}\` (credentials missing or rejected)`,
    );
  }
  if (status === 403 || registryCode === 'DENIED') {
    return make(
      'DENIED',
      `your credentials for ${ctx.host} lack permission for ${ctx.repository ?? 'this'}; ask for access or log in as another user`,
    );
  }
  if (status === 429 || registryCode === 'TOOMANYREQUESTS') {
    return make('TOO_MANY_REQUESTS', `${ctx.host} is rate limiting; wait a minute and try again`);
  }
  if (registryCode === 'MANIFEST_UNKNOWN' || (status === 404 && ctx.operation.includes('manifest'))) {
    const repo = ctx.repository ?? 'the repository';
    return make(
      'MANIFEST_UNKNOWN',
      `no tag or digest ${ctx.target ?? ''} in ${repo}; see \`provisioning oci tags ${ctx.host}/${repo}\``.replace(
        '  ',
        ' ',
      ),
    );
  }
  if (registryCode === 'NAME_UNKNOWN' || (status === 404 && ctx.operation.includes('tags'))) {
    return make(
      'NAME_UNKNOWN',
      `repository ${ctx.repository ?? ''} does not exist on ${ctx.host}; check the name or push it first`,
    );
  }
  if (registryCode === 'BLOB_UNKNOWN' || (status === 404 && ctx.operation.includes('blob'))) {
    return make(
      'BLOB_UNKNOWN',
      `the registry does not have blob ${ctx.target ?? ''}; push the artifact again`,
    );
  }
  if (registryCode === 'NAME_INVALID')
    return make('NAME_INVALID', 'check the repository name (lowercase, a-z0-9 separated by . _ - /)');
  if (registryCode === 'DIGEST_INVALID')
    return make('DIGEST_INVALID', 'the uploaded content did not match its digest; push again');
  if (registryCode === 'MANIFEST_INVALID' || registryCode === 'MANIFEST_BLOB_UNKNOWN') {
    return make(
      registryCode as ErrorCode,
      'the registry rejected the manifest; push its config and layers first and keep it under 4 MiB',
    );
  }
  if (registryCode === 'SIZE_INVALID')
    return make('SIZE_INVALID', 'the uploaded size did not match the descriptor; push again');
  if (registryCode === 'BLOB_UPLOAD_INVALID' || registryCode === 'BLOB_UPLOAD_UNKNOWN')
    return make(registryCode, 'the upload session failed; push again');
  if (status >= 500)
    return make('REGISTRY_UNAVAILABLE', `${ctx.host} is failing (HTTP ${status}); try again later`);
  // a spec code we catalogue keeps its name (UNSUPPORTED, …); anything else is REGISTRY_ERROR, its
  // own code kept in `registryCode`
  const known = registryCode !== undefined && isErrorCode(registryCode) ? registryCode : 'REGISTRY_ERROR';
  return make(known, `check the reference and the registry ${ctx.host}`);
}

const REASONS: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response in time',
  UND_ERR_BODY_TIMEOUT: 'the response stalled',
  UND_ERR_SOCKET: 'the connection closed in the middle of the response',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'the response was shorter than its Content-Length',
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: 'the request body ended early',
  ERR_STREAM_PREMATURE_CLOSE: 'the connection closed early',
  ECONNRESET: 'connection reset',
  ECONNREFUSED: 'connection refused',
  EPIPE: 'connection closed while sending',
  ETIMEDOUT: 'connection timed out',
};

/** Codes of connection-level failures (undici's, Node's sockets and streams); ours are never among them. */
const NETWORK_CODES = new Set([
  ...Object.keys(REASONS),
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_INFO',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'PROVISIONING_TIMEOUT',
]);

/**
 * True for a failure of the connection or of a response body in flight: a reset, a close before the
 * announced length, a stall, a refused or timed-out connect. A disk error (`ENOSPC`) or our own
 * verification error is not one.
 */
export function isNetworkFailure(error: unknown): boolean {
  if (error instanceof ProvisioningError) return false;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return NETWORK_CODES.has(code) || (code.startsWith('UND_ERR_') && code !== 'UND_ERR_ABORTED');
}

const MID_EXCHANGE = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ECONNRESET',
  'EPIPE',
]);

/** Where the budget of a request is set: named in every timeout message. */
const TIMEOUT_HINT = 'allow more time with --timeout (or PROVISIONING_TIMEOUT)';

/** A connection-level failure (refused, reset, TLS, timeout): kind `network`, retryable. */
export function networkError(error: unknown, ctx: RequestContext): RegistryError {
  if (error instanceof RegistryError) return error;
  const code = (error as { code?: string }).code;
  const subject = `${ctx.operation} ${ctx.reference ?? ctx.host}`;
  if (code === 'PROVISIONING_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    const budget = (error as { budgetMs?: number }).budgetMs;
    const message =
      code === 'PROVISIONING_TIMEOUT'
        ? `${subject}: ${ctx.host} did not answer within ${budget === undefined ? 'the timeout' : formatDuration(budget)}`
        : `${subject}: the download from ${ctx.host} stalled (no data within the timeout)`;
    return new RegistryError('NETWORK_ERROR', message, {
      kind: 'network',
      retryable: true,
      cause: error,
      hint: `check that the registry at ${ctx.host} is running and reachable, or ${TIMEOUT_HINT}`,
      details: { ...ctx, networkCode: code },
    });
  }
  const reason = (code && REASONS[code]) ?? code ?? (error instanceof Error ? error.message : String(error));
  const tls = isCertificateFailure(error) || (typeof code === 'string' && /TLS|SSL/.test(code));
  // A connection that was up and then failed is not "cannot reach": say what broke.
  const broke = typeof code === 'string' && MID_EXCHANGE.has(code);
  const what = broke ? `the connection to ${ctx.host} failed` : `cannot reach ${ctx.host}`;
  return new RegistryError('NETWORK_ERROR', `${subject}: ${what} (${reason})`, {
    kind: 'network',
    retryable: !tls,
    cause: error,
    hint: tls
      ? `the TLS certificate of ${ctx.host} is not trusted: pass its CA with --ca-file (or PROVISIONING_CA_FILE), or --insecure for a registry you trust`
      : `check that ${ctx.host} is the right address and that the registry is running`,
    details: { ...ctx, networkCode: code },
  });
}

const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

/** True for a TLS certificate failure: it fails the same way on every attempt, so it is not retried. */
export function isCertificateFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CERTIFICATE.test(code);
}
