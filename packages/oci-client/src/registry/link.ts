import { RegistryError } from '../http/errors.js';

/** Target of `Link: <url>; rel="next"`, or undefined. Several links may share one header. */
export function nextLink(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const values = Array.isArray(header) ? header : [header];
  for (const value of values) {
    for (const part of value.split(/,(?=\s*<)/)) {
      const match = /^\s*<([^>]*)>(.*)$/.exec(part);
      if (match === null) continue;
      if (/;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(match[2]!)) return match[1];
    }
  }
  return undefined;
}

/**
 * Resolve a pagination link against the request URL; a link to another origin is refused
 * (oras-go GHSA-h7vf-4x9w-h99v), whatever its path.
 */
export function resolveNextLink(link: string, requestUrl: URL, what: string): URL {
  const next = new URL(link, requestUrl);
  if (next.origin !== requestUrl.origin) {
    throw new RegistryError(
      'CROSS_ORIGIN_LINK',
      `${what}: the registry's next-page Link points to another origin (${next.origin})`,
      {
        hint: 'refusing to follow it; the registry or a proxy is misconfigured or hostile',
        details: { origin: requestUrl.origin, link: next.origin },
      },
    );
  }
  return next;
}

export const MAX_PAGES = 1000;
