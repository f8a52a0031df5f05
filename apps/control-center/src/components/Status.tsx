import type { ReactNode } from 'react';
import type { Loaded } from '../use-api';

// Renders loading / error / data inside one aria-live region so screen readers hear async results.
export function Status<T>({
  loaded,
  label,
  children,
}: {
  loaded: Loaded<T>;
  label: string;
  children: (data: T) => ReactNode;
}) {
  return (
    <div aria-live="polite" aria-busy={loaded.state === 'loading'}>
      {loaded.state === 'loading' && <p className="muted">Loading {label}…</p>}
      {loaded.state === 'error' && (
        <p role="alert" className="error">
          Could not load {label}: {loaded.message}
        </p>
      )}
      {loaded.state === 'ok' && children(loaded.data)}
    </div>
  );
}
