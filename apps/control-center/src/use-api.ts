import { useEffect, useState } from 'react';
import { apiRequest } from './api/client';

export type Loaded<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; data: T };

// Fetch on mount and whenever the path changes; stale answers of an older path are dropped.
export function useApi<T>(path: string | null): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setLoaded({ state: 'loading' });
    apiRequest<T>(path).then(
      (data) => live && setLoaded({ state: 'ok', data }),
      (err: Error) => live && setLoaded({ state: 'error', message: err.message }),
    );
    return () => {
      live = false;
    };
  }, [path]);
  return loaded;
}
