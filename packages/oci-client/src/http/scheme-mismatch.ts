/**
 * Talking the wrong scheme to a registry (docs/oci.md, "TLS and plain HTTP"): plain HTTP to an
 * HTTPS server, which Go servers (Distribution, Zot) answer with a bare `400` "Client sent an
 * HTTP request to an HTTPS server.", and HTTPS to a plain-HTTP server, where the TLS handshake
 * reads an HTTP answer ("wrong version number"). Both become one `SCHEME_MISMATCH` line whose
 * hint names the flag that fixes it, instead of `HTTP 400` or a certificate hint.
 */
import { RegistryError, type RequestContext } from './errors.js';

/** What the server said (Go's net/http, nginx) when it got plain HTTP on its TLS port. */
const HTTPS_PORT_ANSWERS = [
  'client sent an http request to an https server',
  'plain http request was sent to https port',
];

/** OpenSSL's view of an HTTP answer to a ClientHello. */
const NOT_TLS = /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|wrong version number|packet length too long/i;

export const SCHEME_MISMATCH = 'SCHEME_MISMATCH';

function subject(ctx: RequestContext): string {
  return ctx.reference ?? ctx.repository ?? ctx.host;
}

/**
 * The error for a response to a plain-HTTP request that came from an HTTPS port, else undefined.
 * `body` is what could be read (empty for HEAD); Go's raw answer has no header at all, which
 * identifies it when there is no body.
 */
export function httpToHttpsServer(
  res: { status: number; url: URL; headers: Record<string, unknown> },
  body: string,
  ctx: RequestContext,
): RegistryError | undefined {
  if (res.status !== 400 || res.url.protocol !== 'http:') return undefined;
  const text = body.toLowerCase();
  const said = HTTPS_PORT_ANSWERS.some((answer) => text.includes(answer));
  if (!said && !(body === '' && Object.keys(res.headers).length === 0)) return undefined;
  return new RegistryError(
    SCHEME_MISMATCH,
    `${ctx.operation} ${subject(ctx)} failed: ${ctx.host} serves HTTPS and refused a plain HTTP request`,
    {
      kind: 'network',
      status: 400,
      hint: `this registry needs HTTPS: pass --insecure (HTTPS without certificate verification; drop --plain-http), or write the reference as https://${ctx.host}/…`,
      details: { ...ctx, sent: 'http', expected: 'https' },
    },
  );
}

/** The error for a TLS handshake that met a plain-HTTP server, else undefined. */
export function httpsToHttpServer(error: unknown, ctx: RequestContext): RegistryError | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (
    !NOT_TLS.test(`${typeof code === 'string' ? code : ''} ${typeof message === 'string' ? message : ''}`)
  ) {
    return undefined;
  }
  return new RegistryError(
    SCHEME_MISMATCH,
    `${ctx.operation} ${subject(ctx)} failed: ${ctx.host} serves plain HTTP, not HTTPS (the TLS handshake got an HTTP answer)`,
    {
      kind: 'network',
      cause: error,
      hint: `this registry needs plain HTTP: pass --plain-http (and drop --insecure), or write the reference as http://${ctx.host}/…`,
      details: {
        ...ctx,
        sent: 'https',
        expected: 'http',
        networkCode: typeof code === 'string' ? code : undefined,
      },
    },
  );
}

/** Node's codes for a certificate that does not verify (self-signed, unknown CA, wrong name, expired). */
