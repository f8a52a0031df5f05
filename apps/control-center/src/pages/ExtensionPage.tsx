import { query } from '../api/client';
import type { ExtensionDetail, Tree } from '../api/types';
import { Markdown } from '../components/Markdown';
import { SignatureBadge } from '../components/SignatureBadge';
import { Status } from '../components/Status';
import { DependencyGraph } from '../graph/DependencyGraph';
import { extensionHref, href } from '../router';
import { useApi } from '../use-api';

// One extension at one version: versions (selectable), signature, dependencies, README, graph.
// Uses the `?namespace=` endpoint forms because namespaces may contain `/`.
export function ExtensionPage({
  namespace,
  name,
  version,
}: {
  namespace: string;
  name: string;
  version?: string;
}) {
  const detail = useApi<ExtensionDetail>(`/api/v1/extension${query({ namespace, name, version })}`);
  // The graph waits for the concrete version: without one the API may answer from the workspace lock
  // (pinned versions as constraints) instead of this extension's own constraints.
  const shown = detail.state === 'ok' ? detail.data.version : null;
  const tree = useApi<Tree>(shown ? `/api/v1/tree${query({ namespace, name, version: shown })}` : null);
  return (
    <article aria-labelledby="ext-title">
      <p>
        <a href={href([], { namespace })}>← {namespace}</a>
      </p>
      <h1 id="ext-title">{name}</h1>
      <Status loaded={detail} label={`extension ${name}`}>
        {(d) => (
          <>
            <p>{d.description}</p>
            <dl className="facts">
              <dt>Type</dt>
              <dd>{d.type ?? 'unknown'}</dd>
              <dt>
                <label htmlFor="version">Version</label>
              </dt>
              <dd>
                <select
                  id="version"
                  value={d.version}
                  onChange={(e) => {
                    window.location.hash = extensionHref(namespace, name, e.target.value);
                  }}
                >
                  {d.versions.map((v) => (
                    <option key={v} value={v}>
                      {v}
                    </option>
                  ))}
                </select>
              </dd>
              <dt>Reference</dt>
              <dd>
                <code>{d.reference}</code>
              </dd>
              <dt>Digest</dt>
              <dd>
                <code>{d.digest}</code>
              </dd>
              <dt>Signature</dt>
              <dd>
                <SignatureBadge
                  status={d.signature.status}
                  keyId={d.signature.signatures.find((s) => s.key_id)?.key_id}
                />
              </dd>
            </dl>
            <section aria-labelledby="deps-title">
              <h2 id="deps-title">Dependencies</h2>
              {d.dependencies.length === 0 ? (
                <p className="muted">No dependencies.</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Module</th>
                      <th scope="col">Constraint</th>
                      <th scope="col">Optional</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.dependencies.map((dep) => (
                      <tr key={dep.name} data-dependency={dep.name}>
                        <td>{dep.name}</td>
                        <td>
                          <code>{dep.constraint}</code>
                        </td>
                        <td>{dep.optional ? 'yes' : 'no'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section aria-labelledby="readme-title">
              <h2 id="readme-title">README</h2>
              {d.readme ? (
                <Markdown source={d.readme} />
              ) : (
                <p className="muted">This version has no README.</p>
              )}
            </section>
          </>
        )}
      </Status>
      <section aria-labelledby="graph-h">
        <h2 id="graph-h">Dependency graph</h2>
        <Status loaded={tree} label="dependency graph">
          {(t) => <DependencyGraph nodes={t.nodes} edges={t.edges} title={`Dependencies of ${t.root}`} />}
        </Status>
      </section>
    </article>
  );
}
