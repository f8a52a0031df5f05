import { ProvisioningError } from '@provisioning/schemas';
import { isLoopbackHost } from '../http/origin.js';
import { internalRange } from './address-range.js';

export interface RealmDecision {
  url: URL;
  /** May the registry's credentials be sent to this realm? */
  sendCredentials: boolean;
}

/** `registry-1.docker.io` and `auth.docker.io` share `docker.io`; loopback hosts share "loopback". */
function site(hostname: string): string {
  if (isLoopbackHost(hostname)) return 'loopback';
  if (/^[\d.]+$/.test(hostname) || hostname.includes(':')) return hostname;
  return hostname.split('.').slice(-2).join('.');
}

const RANGE_NAMES = {
  loopback: 'a loopback address',
  'link-local': 'a link-local address (169.254.0.0/16, fe80::/10: cloud metadata endpoints live there)',
  private: 'a private address (10/8, 172.16/12, 192.168/16, fc00::/7)',
  unspecified: 'an unspecified address (0.0.0.0, ::)',
} as const;

/** The registry's own host: the same hostname, or both on this machine's loopback. */
function sameHost(realm: URL, registry: URL): boolean {
  if (realm.hostname === registry.hostname) return true;
  return isLoopbackHost(realm.hostname) && isLoopbackHost(registry.hostname);
}

/**
 * Validate a bearer realm before any request goes to it (oras-go GHSA-28r5-37g7-p6mp: realms
 * pointing anywhere; GHSA-xf85-363p-868w: realms pointing inside the network; see docs/oci.md).
 * Only http(s); no userinfo; an IP-literal realm in a loopback, link-local, private or unspecified
 * range (IPv4-mapped IPv6 included) only on the registry's own host. Plain HTTP is accepted on the
 * registry's own origin, or for a loopback realm of a loopback plain-HTTP registry; credentials go
 * to another origin only over HTTPS (or that loopback case) and only within the registry's site.
 * A pure function: nothing is resolved or dialled.
 */
export function checkRealm(realm: string, registryOrigin: string, registryHost: string): RealmDecision {
  let url: URL;
  try {
    url = new URL(realm);
  } catch (cause) {
    throw new ProvisioningError('REALM_INVALID', `registry ${registryHost} sent an invalid token realm`, {
      kind: 'registry',
      cause,
      hint: 'the registry is misconfigured; report it to its operator',
      details: { host: registryHost },
    });
  }
  const registry = new URL(registryOrigin);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw realmRefused(registryHost, url, 'it is not an http(s) URL');
  }
  if (url.username !== '' || url.password !== '')
    throw realmRefused(registryHost, url, 'it embeds credentials');
  if (url.origin === registry.origin) return { url, sendCredentials: true };

  const loopbackPair =
    registry.protocol === 'http:' && isLoopbackHost(registry.host) && isLoopbackHost(url.hostname);
  if (url.protocol === 'http:' && !loopbackPair) {
    throw realmRefused(registryHost, url, 'it is plain HTTP on another origin');
  }
  if (registry.protocol === 'https:' && url.protocol === 'http:') {
    throw realmRefused(registryHost, url, 'it downgrades HTTPS to HTTP');
  }
  const range = isLoopbackHost(url.hostname) ? 'loopback' : internalRange(url.hostname);
  if (range !== undefined && !sameHost(url, registry)) {
    throw realmRefused(registryHost, url, `it is ${RANGE_NAMES[range]} that is not the registry's host`);
  }
  return { url, sendCredentials: site(url.hostname) === site(registry.hostname) };
}

function realmRefused(host: string, url: URL, why: string): ProvisioningError {
  return new ProvisioningError(
    'REALM_REFUSED',
    `refusing token realm ${url.origin} of registry ${host}: ${why}`,
    {
      kind: 'registry',
      hint: 'the registry or something between you and it is misconfigured or hostile; check the registry address',
      details: { host, realm: url.origin },
    },
  );
}
