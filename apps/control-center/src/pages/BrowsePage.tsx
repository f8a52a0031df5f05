import { type FormEvent, useState } from 'react';
import { query } from '../api/client';
import type { ExtensionSummary, Namespace } from '../api/types';
import { Status } from '../components/Status';
import { extensionHref, href, type Route } from '../router';
import { useApi } from '../use-api';

// Namespaces + extensions with a search box; the query lives in the URL so results are linkable
// and Enter in the box (a real form submit) is the keyboard path.
export function BrowsePage({ route }: { route: Route }) {
  const namespace = route.params.get('namespace') ?? undefined;
  const q = route.params.get('q') ?? '';
  const type = route.params.get('type') ?? '';
  const [text, setText] = useState(q);
  const [kind, setKind] = useState(type);
  const namespaces = useApi<{ namespaces: Namespace[] }>('/api/v1/namespaces');
  const extensions = useApi<{ extensions: ExtensionSummary[] }>(
    `/api/v1/extensions${query({ namespace, q: q || undefined, type: type || undefined })}`,
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    window.location.hash = href([], { namespace, q: text.trim() || undefined, type: kind || undefined });
  };

  return (
    <section aria-labelledby="browse-title">
      <h1 id="browse-title">Extensions</h1>
      <search>
        <form onSubmit={submit} className="search">
          <label htmlFor="search">Search name, description or type</label>
          <input id="search" type="search" value={text} onChange={(e) => setText(e.target.value)} />
          <label htmlFor="type">Type</label>
          <select id="type" value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">any</option>
            <option value="taskserv">taskserv</option>
            <option value="provider">provider</option>
            <option value="cluster">cluster</option>
          </select>
          <button type="submit">Search</button>
        </form>
      </search>
      <nav aria-label="Namespaces">
        <Status loaded={namespaces} label="namespaces">
          {(d) => (
            <ul className="inline">
              {d.namespaces.map((n) => (
                <li key={n.name}>
                  <a
                    href={href([], { namespace: n.name })}
                    aria-current={n.name === namespace ? 'page' : undefined}
                  >
                    {n.name} ({n.extension_count})
                  </a>
                </li>
              ))}
            </ul>
          )}
        </Status>
      </nav>
      <Status loaded={extensions} label="extensions">
        {(d) => (
          <>
            <p className="muted" data-testid="result-count">
              {d.extensions.length} extension{d.extensions.length === 1 ? '' : 's'}
              {q ? ` matching “${q}”` : ''}
            </p>
            <ul className="results">
              {d.extensions.map((x) => (
                <li key={`${x.namespace}/${x.name}`} data-extension={x.name}>
                  <a href={extensionHref(x.namespace, x.name)}>{x.name}</a>
                  {x.type && <span className="badge">{x.type}</span>}
                  {x.latest_version && <span className="muted"> {x.latest_version}</span>}
                  {x.description && <p>{x.description}</p>}
                </li>
              ))}
            </ul>
          </>
        )}
      </Status>
    </section>
  );
}
