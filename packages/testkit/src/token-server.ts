import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { readBody, startHttpServer, type TestHttpServer } from './http-server.js';
import { createTokenIssuer, type RegistryAccess, type TokenIssuer } from './token-issuer.js';

export interface TokenServerOptions {
  /** `iss` claim; must match the registry's `auth.token.issuer`. */
  issuerName?: string;
  /** `aud` claim; must match the registry's `auth.token.service`. */
  service?: string;
  /** Accounts allowed to get tokens (basic auth on GET, `password` grant on POST). */
  users?: Record<string, string>;
  /** Hand out pull-only tokens to callers without credentials. Default false. */
  anonymousPull?: boolean;
  /** `expires_in` in the token response (seconds). Default 300. */
  expiresIn?: number;
  /** Answer POST with 404 so clients must fall back to GET (like some registries). */
  rejectPost?: boolean;
}

export interface TokenServer extends TestHttpServer {
  /** `http://127.0.0.1:PORT/token` — the realm for the registry config. */
  realm: string;
  service: string;
  issuerName: string;
  issuer: TokenIssuer;
  /** Tokens handed out so far (count of successful grants). */
  grants: { account: string | undefined; scopes: string[]; via: 'GET' | 'POST' }[];
  /** Refresh tokens issued, mapped to their account. */
  refreshTokens: Map<string, string>;
}

function parseScope(scope: string): RegistryAccess | undefined {
  const match = /^([a-z]+):(.+):([a-z*,]+)$/.exec(scope);
  if (match === null) return undefined;
  return { type: match[1]!, name: match[2]!, actions: match[3]!.split(',') };
}

function basicAccount(req: IncomingMessage, users: Record<string, string>): string | undefined | false {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^basic\s+(.+)$/i.exec(header);
  if (match === null) return false;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = decoded.slice(0, colon);
  return colon > 0 && users[user] === decoded.slice(colon + 1) ? user : false;
}

/**
 * A Docker-token-spec auth server for Distribution's `auth: token` mode, on a free loopback port.
 * GET `/token?service=&scope=…` with basic auth, or POST a form with `grant_type` `password` or
 * `refresh_token`. Grants every requested action to known users, `pull` to anonymous callers
 * when `anonymousPull` is set.
 */
export async function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  const issuer = createTokenIssuer();
  const issuerName = options.issuerName ?? 'provisioning-test-issuer';
  const service = options.service ?? 'provisioning-test-registry';
  const users = options.users ?? {};
  const grants: TokenServer['grants'] = [];
  const refreshTokens = new Map<string, string>();

  const server = await startHttpServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/token') {
      res.writeHead(404).end('not found');
      return;
    }
    let account: string | undefined | false;
    let params: URLSearchParams;
    const via = req.method === 'POST' ? 'POST' : 'GET';
    if (via === 'POST') {
      if (options.rejectPost) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('POST not supported');
        return;
      }
      params = new URLSearchParams((await readBody(req)).toString('utf8'));
      const grant = params.get('grant_type');
      if (grant === 'refresh_token') {
        account = refreshTokens.get(params.get('refresh_token') ?? '') ?? false;
      } else if (grant === 'password') {
        const user = params.get('username') ?? '';
        account = users[user] !== undefined && users[user] === params.get('password') ? user : false;
      } else {
        account = false;
      }
    } else {
      params = url.searchParams;
      account = basicAccount(req, users);
    }
    if (account === false) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"invalid credentials"}');
      return;
    }
    if (account === undefined && !options.anonymousPull) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"authentication required"}');
      return;
    }
    const scopes = params
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .filter((s) => s !== '');
    const access: RegistryAccess[] = [];
    for (const scope of scopes) {
      const parsed = parseScope(scope);
      if (parsed === undefined) continue;
      if (account === undefined) parsed.actions = parsed.actions.filter((a) => a === 'pull');
      access.push(parsed);
    }
    const expiresIn = options.expiresIn ?? 300;
    const token = issuer.signJwt({
      issuer: issuerName,
      service,
      subject: account ?? 'anonymous',
      access,
      expiresIn,
    });
    const body: Record<string, unknown> = {
      token,
      expires_in: expiresIn,
      issued_at: new Date().toISOString(),
    };
    if (account !== undefined && (params.get('offline_token') === 'true' || via === 'POST')) {
      const refreshToken = randomBytes(16).toString('hex');
      refreshTokens.set(refreshToken, account);
      body.refresh_token = refreshToken;
    }
    grants.push({ account, scopes, via });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  return { ...server, realm: `${server.url}/token`, service, issuerName, issuer, grants, refreshTokens };
}
