import type { Credential, CredentialProvider } from '../credentials/types.js';
import { RegistryError } from '../http/errors.js';
import { type Challenge, parseWwwAuthenticate } from './challenge.js';
import { checkRealm, type RealmDecision } from './realm.js';
import { normalizeScopes } from './scope.js';
import { TokenCache } from './token-cache.js';

/** Minimal response view the token exchange needs. */
export interface TokenResponse {
  status: number;
  text: string;
}

/** Sends a request to a token realm: no registry credentials or custom headers are added. */
export type TokenFetcher = (
  url: URL,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
) => Promise<TokenResponse>;

export interface AuthenticatorOptions {
  /** Registry origin (`https://ghcr.io`); credentials are bound to it. */
  origin: string;
  /** Registry host as users write it, for lookups and messages. */
  host: string;
  credentials?: CredentialProvider;
  fetchToken: TokenFetcher;
  cache?: TokenCache;
  /** `client_id` sent with OAuth2 token requests. */
  clientId?: string;
}

/** A bearer scheme is only remembered once its realm passed `checkRealm`, so cached challenges are checked too. */
type Scheme = { kind: 'basic' } | { kind: 'bearer'; realm: RealmDecision; service: string };

/**
 * The token request URL: the realm (its own query kept) plus `service` and one `scope` per scope,
 * each URL-encoded, so a hostile `service="x&scope=…"` stays one value (docs/oci.md).
 */
export function tokenRequestUrl(realm: URL, service: string, scopes: readonly string[]): URL {
  const url = new URL(realm);
  if (service) url.searchParams.set('service', service);
  for (const scope of scopes) url.searchParams.append('scope', scope);
  return url;
}

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/**
 * Answers registry auth challenges for one origin: basic, or bearer with a token from the realm
 * (password grant via GET + basic, refresh-token grant via POST with GET fallback), cached per
 * service and scope set until expiry. Remembers the scheme so later requests authenticate up front.
 */
export class Authenticator {
  private scheme: Scheme | undefined;
  private credential: Promise<Credential | undefined> | undefined;
  private readonly cache: TokenCache;
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(private readonly options: AuthenticatorOptions) {
    this.cache = options.cache ?? new TokenCache();
  }

  private getCredential(): Promise<Credential | undefined> {
    this.credential ??= this.options.credentials
      ? this.options.credentials(this.options.host, this.options.origin)
      : Promise.resolve(undefined);
    return this.credential;
  }

  /** Authorization header to send before any challenge, when the scheme is already known. */
  async headerFor(scopes: readonly string[]): Promise<string | undefined> {
    const scheme = this.scheme;
    if (scheme === undefined) return undefined;
    return this.authorize(scheme, normalizeScopes(scopes));
  }

  /**
   * React to a 401: parse the challenge, remember the scheme, return the header to retry with,
   * or undefined when we have nothing to offer (no credentials for a basic challenge).
   */
  async respondTo(
    wwwAuthenticate: string | string[] | undefined,
    scopes: readonly string[],
  ): Promise<string | undefined> {
    const challenges = parseWwwAuthenticate(wwwAuthenticate);
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    const basic = challenges.find((c) => c.scheme === 'basic');
    let scheme: Scheme | undefined;
    let wanted = [...scopes];
    if (bearer) {
      // Checked before it is remembered: a refused realm never becomes the cached scheme.
      const realm = checkRealm(bearer.params.realm!, this.options.origin, this.options.host);
      scheme = { kind: 'bearer', realm, service: bearer.params.service ?? '' };
      wanted = [...wanted, ...challengeScopes(bearer)];
    } else if (basic) {
      scheme = { kind: 'basic' };
    }
    if (scheme === undefined) return undefined;
    this.scheme = scheme;
    const normalized = normalizeScopes(wanted);
    if (scheme.kind === 'bearer') {
      // A token we already had was refused: drop it so the retry fetches a fresh one.
      this.cache.delete(TokenCache.key(this.options.origin, scheme.service, normalized));
    }
    return this.authorize(scheme, normalized);
  }

  private async authorize(scheme: Scheme, scopes: string[]): Promise<string | undefined> {
    const credential = await this.getCredential();
    if (scheme.kind === 'basic') {
      if (credential?.username !== undefined && credential.password !== undefined) {
        return basicHeader(credential.username, credential.password);
      }
      return undefined;
    }
    if (credential?.accessToken) return `Bearer ${credential.accessToken}`;
    const key = TokenCache.key(this.options.origin, scheme.service, scopes);
    const cached = this.cache.get(key);
    if (cached !== undefined) return `Bearer ${cached}`;
    let pending = this.inflight.get(key);
    if (pending === undefined) {
      pending = this.fetchToken(scheme, scopes, credential).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return `Bearer ${await pending}`;
  }

  private async fetchToken(
    scheme: { realm: RealmDecision; service: string },
    scopes: string[],
    credential: Credential | undefined,
  ): Promise<string> {
    const { url, sendCredentials } = scheme.realm;
    const usable = sendCredentials ? credential : undefined;
    const clientId = this.options.clientId ?? 'provisioning';
    let response: TokenResponse | undefined;

    if (usable?.identityToken) {
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: usable.identityToken,
        client_id: clientId,
      });
      if (scheme.service) form.set('service', scheme.service);
      if (scopes.length > 0) form.set('scope', scopes.join(' '));
      response = await this.options.fetchToken(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      // Servers without OAuth2 support answer 404/405 (Docker spec): fall back to GET.
      if (response.status === 404 || response.status === 405) response = undefined;
    }
    if (response === undefined) {
      const getUrl = tokenRequestUrl(url, scheme.service, scopes);
      const headers: Record<string, string> = {};
      if (usable?.username !== undefined && usable.password !== undefined) {
        headers.authorization = basicHeader(usable.username, usable.password);
      }
      response = await this.options.fetchToken(getUrl, { method: 'GET', headers });
    }

    if (response.status >= 300 && response.status < 400) {
      // oras-go GHSA-xf85-363p-868w: a redirect would take the request (and credentials) past checkRealm.
      throw new RegistryError(
        'REDIRECT_REFUSED',
        `token server ${url.origin} of ${this.options.host} answered with a redirect (HTTP ${response.status}); token requests never follow redirects`,
        {
          status: response.status,
          hint: 'the registry auth service is misconfigured or hostile; configure it to answer the token request at its realm',
          details: { host: this.options.host, realm: url.origin },
        },
      );
    }
    if (response.status === 401 || response.status === 403) {
      throw new RegistryError(
        'UNAUTHORIZED',
        `token server ${url.origin} refused the credentials for ${this.options.host} (HTTP ${response.status})`,
        {
          status: response.status,
          hint: `check your login: run \`provisioning oci login ${this.options.host}\``,
          details: { host: this.options.host, realm: url.origin },
        },
      );
    }
    if (response.status !== 200) {
      throw new RegistryError(
        'TOKEN_FAILED',
        `token server ${url.origin} answered HTTP ${response.status} for ${this.options.host}`,
        {
          status: response.status,
          retryable: response.status >= 500,
          hint: 'the registry auth service is failing; try again later',
          details: { host: this.options.host, realm: url.origin },
        },
      );
    }
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      body = (JSON.parse(response.text) as typeof body | null) ?? {};
    } catch (cause) {
      throw new RegistryError(
        'TOKEN_FAILED',
        `token server ${url.origin} sent a non-JSON answer for ${this.options.host}`,
        {
          cause,
          hint: 'the registry auth service is misconfigured; report it to its operator',
        },
      );
    }
    const token = typeof body.token === 'string' && body.token !== '' ? body.token : body.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new RegistryError(
        'TOKEN_FAILED',
        `token server ${url.origin} returned no token for ${this.options.host}`,
        {
          hint: 'the registry auth service is misconfigured; report it to its operator',
        },
      );
    }
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    this.cache.set(TokenCache.key(this.options.origin, scheme.service, scopes), token, expiresIn);
    return token;
  }
}

function challengeScopes(challenge: Challenge): string[] {
  const scope = challenge.params.scope;
  return scope ? scope.split(' ').filter((s) => s !== '') : [];
}
