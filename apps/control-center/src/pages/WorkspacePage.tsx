import type { Workspace } from '../api/types';
import { SignatureBadge } from '../components/SignatureBadge';
import { Status } from '../components/Status';
import { href } from '../router';
import { useApi } from '../use-api';

// The gateway's workspace: modules + lock digests, drift, generations (rollback targets).
export function WorkspacePage() {
  const ws = useApi<Workspace>('/api/v1/workspace');
  return (
    <section aria-labelledby="ws-title">
      <h1 id="ws-title">Workspace</h1>
      <Status loaded={ws} label="workspace">
        {(w) => {
          const sig = new Map(w.signatures.map((s) => [s.module, s.status]));
          return (
            <>
              <dl className="facts">
                <dt>Name</dt>
                <dd>{w.name}</dd>
                <dt>Root</dt>
                <dd>
                  <code>{w.root}</code>
                </dd>
                <dt>Lock file</dt>
                <dd>
                  <code>{w.lock.file}</code> ({w.lock.modules} modules)
                </dd>
                <dt>Generation</dt>
                <dd>
                  {w.generation.current ?? 'none'} of {w.generation.count}
                </dd>
              </dl>
              <h2>Modules</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Module</th>
                    <th scope="col">Version</th>
                    <th scope="col">Constraint</th>
                    <th scope="col">Lock digest</th>
                    <th scope="col">Installed</th>
                    <th scope="col">Signature</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  {w.modules.map((m) => (
                    <tr key={m.name} data-module={m.name}>
                      <td>{m.name}</td>
                      <td>{m.version}</td>
                      <td>
                        {m.constraint === '*' && m.required_by.length > 0 ? (
                          `via ${m.required_by.join(', ')}`
                        ) : (
                          <code>{m.constraint}</code>
                        )}
                      </td>
                      <td>
                        <code title={m.digest}>{m.digest.slice(0, 19)}…</code>
                      </td>
                      <td>{m.installed ? 'yes' : 'no'}</td>
                      <td>{sig.has(m.name) ? <SignatureBadge status={sig.get(m.name) ?? ''} /> : '—'}</td>
                      <td>
                        <a href={href(['why'], { module: m.name })}>why {m.version}?</a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h2>Drift</h2>
              {w.drift.length === 0 ? (
                <p data-testid="no-drift">No drift: the installed modules match the lock.</p>
              ) : (
                <ul>
                  {w.drift.map((d) => (
                    <li key={`${d.module}-${d.kind}`} data-drift={d.kind}>
                      <strong>{d.module}</strong> {d.kind}: {d.detail}
                    </li>
                  ))}
                </ul>
              )}
              <h2>History and rollback targets</h2>
              {w.history.length === 0 ? (
                <p className="muted">No generations recorded yet.</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Generation</th>
                      <th scope="col">Time</th>
                      <th scope="col">Command</th>
                      <th scope="col">Modules</th>
                      <th scope="col">Rollback</th>
                    </tr>
                  </thead>
                  <tbody>
                    {w.history.map((h) => (
                      <tr key={h.generation} data-generation={h.generation}>
                        <td>
                          {h.generation}
                          {h.current ? ' (current)' : ''}
                        </td>
                        <td>{h.time}</td>
                        <td>
                          <code>{h.command}</code>
                        </td>
                        <td>{h.modules.map((m) => `${m.name}@${m.version}`).join(', ')}</td>
                        <td>{h.current ? '—' : <code>provisioning dep rollback {h.generation}</code>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </>
          );
        }}
      </Status>
    </section>
  );
}
