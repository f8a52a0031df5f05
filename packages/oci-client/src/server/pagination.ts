/** `n` / `last` paging for the catalog and tag lists, with the `Link` header for the next page. */
import { HttpProblem } from './http-problem.js';

/** Larger pages are cut to this size (with a `Link` to the rest). */
const MAX_PAGE = 10_000;

export interface Page {
  items: string[];
  link?: string;
}

export function paginate(sorted: string[], query: URLSearchParams, pathname: string): Page {
  const rawN = query.get('n');
  const last = query.get('last') ?? undefined;
  let n: number | undefined;
  if (rawN !== null) {
    if (!/^\d{1,9}$/.test(rawN)) {
      throw new HttpProblem(
        400,
        'PAGINATION_NUMBER_INVALID',
        `invalid page size n=${JSON.stringify(rawN.slice(0, 20))}`,
      );
    }
    n = Math.min(Number(rawN), MAX_PAGE);
  }
  const rest = last === undefined ? sorted : sorted.filter((item) => item > last);
  const limit = n ?? MAX_PAGE;
  const items = rest.slice(0, limit);
  if (rest.length <= limit || items.length === 0) return { items };
  const next = new URLSearchParams({ n: String(limit), last: items.at(-1)! });
  return { items, link: `<${pathname}?${next.toString()}>; rel="next"` };
}
