/** Catalog and tag lists, sorted, paged with `n` / `last` and `Link`. */
import { type Exchange, existingRepository, json, type ServerContext } from './context.js';
import { paginate } from './pagination.js';

export async function getCatalog(ctx: ServerContext, ex: Exchange): Promise<void> {
  const page = paginate(await ctx.store.repositories(), ex.url.searchParams, ex.url.pathname);
  json(ex, 200, { repositories: page.items }, page.link ? { Link: page.link } : {});
}

export async function getTags(ctx: ServerContext, ex: Exchange, name: string): Promise<void> {
  const layout = await existingRepository(ctx, name);
  const tags = [...(await layout.tags())].sort();
  const page = paginate(tags, ex.url.searchParams, ex.url.pathname);
  json(ex, 200, { name, tags: page.items }, page.link ? { Link: page.link } : {});
}
