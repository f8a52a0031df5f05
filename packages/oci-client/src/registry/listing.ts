import { withBodyRetries } from '../http/body-errors.js';
import type { RequestContext } from '../http/errors.js';
import { RegistryError } from '../http/errors.js';
import { readCappedBytes, type Transport } from '../http/transport.js';
import { MAX_PAGES, nextLink, resolveNextLink } from './link.js';

/**
 * Follow `Link: <…>; rel="next"` pages (same origin only, at most `maxPages`), collecting the
 * string array under `key` (`tags` or `repositories`) of each JSON page.
 */
export async function listPaginated(
  transport: Transport,
  first: URL,
  key: 'tags' | 'repositories',
  scopes: string[],
  ctx: RequestContext,
  maxPages = MAX_PAGES,
): Promise<string[]> {
  const items: string[] = [];
  let url: URL | undefined = first;
  for (let page = 0; url !== undefined; page++) {
    if (page >= maxPages) {
      throw new RegistryError(
        'TOO_MANY_PAGES',
        `${ctx.operation} ${ctx.reference ?? ctx.host}: more than ${maxPages} pages`,
        {
          hint: 'the registry keeps sending next-page links; it may be misbehaving',
          details: { ...ctx },
        },
      );
    }
    const pageUrl = url;
    const { res, body } = await withBodyRetries(transport, async () => {
      const answer = await transport.expect(
        { method: 'GET', url: pageUrl, scopes, ctx, headers: { accept: 'application/json' } },
        [200],
      );
      return { res: answer, body: await readCappedBytes(answer.body, 16 * 1024 * 1024) };
    });
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch (cause) {
      throw new RegistryError(
        'REGISTRY_ERROR',
        `${ctx.operation} ${ctx.reference ?? ctx.host}: the registry sent invalid JSON`,
        {
          cause,
          hint: 'the registry does not follow the distribution spec; report it to its operator',
          details: { ...ctx },
        },
      );
    }
    const values = typeof parsed === 'object' && parsed !== null ? parsed[key] : undefined;
    if (Array.isArray(values)) for (const value of values) if (typeof value === 'string') items.push(value);
    const link = nextLink(res.headers.link);
    url =
      link === undefined
        ? undefined
        : resolveNextLink(link, url, `${ctx.operation} ${ctx.reference ?? ctx.host}`);
  }
  return items;
}
