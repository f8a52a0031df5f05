/**
 * One promise per key in `cache`: asking again shares the pending (or settled) one, so a run does
 * each lookup once however many modules ask; a failed one is forgotten, so the next ask tries again.
 */
export function sharedPromise<K, V>(cache: Map<K, Promise<V>>, key: K, make: () => Promise<V>): Promise<V> {
  let pending = cache.get(key);
  if (!pending) {
    pending = make();
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}
