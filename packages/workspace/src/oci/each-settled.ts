/**
 * Run `work` over `items`, at most `concurrency` at a time, and let every item finish: a bulk
 * transfer reports all failures at the end instead of stopping at the first (what `cp`, `oras`
 * and `skopeo sync` users expect).
 */
export interface Settled<I, R> {
  done: { item: I; result: R }[];
  failed: { item: I; error: unknown }[];
}

export async function eachSettled<I, R>(
  items: readonly I[],
  concurrency: number,
  work: (item: I) => Promise<R>,
): Promise<Settled<I, R>> {
  const outcomes: ({ ok: true; result: R } | { ok: false; error: unknown })[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        outcomes[index] = { ok: true, result: await work(items[index] as I) };
      } catch (error) {
        outcomes[index] = { ok: false, error };
      }
    }
  };
  const workers = Math.max(1, Math.min(concurrency, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  const settled: Settled<I, R> = { done: [], failed: [] };
  outcomes.forEach((outcome, index) => {
    const item = items[index] as I;
    if (outcome.ok) settled.done.push({ item, result: outcome.result });
    else settled.failed.push({ item, error: outcome.error });
  });
  return settled;
}
