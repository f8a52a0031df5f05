import { useEffect, useState } from 'react';
import { apiRequest } from './api/client';

export type Loaded<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; data: T };

// Fetch on mount and whenever the path changes. An answer counts only for the path it was fetched for,
// so a page never shows the previous query's results under the new query (nor a late stale answer).
export function useApi<T>(path: string | null): Loaded<T> {
  const [loaded, setLoaded] = useState<{ path: string; value: Loaded<T> } | null>(null);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    apiRequest<T>(path).then(
      (data) => live && setLoaded({ path, value: { state: 'ok', data } }),
      (err: Error) => live && setLoaded({ path, value: { state: 'error', message: err.message } }),
    );
    return () => {
      live = false;
    };
  }, [path]);
  return loaded && loaded.path === path ? loaded.value : { state: 'loading' };
}
