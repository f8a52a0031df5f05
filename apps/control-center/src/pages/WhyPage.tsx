import { type FormEvent, useState } from 'react';
import { apiRequest, query } from '../api/client';
import type { ResolveResult, Why } from '../api/types';
import { Status } from '../components/Status';
import { DependencyGraph } from '../graph/DependencyGraph';
import type { Route } from '../router';
import type { Loaded } from '../use-api';
import { useApi } from '../use-api';

// "Why / why does this fail": a dry-run resolve of a module list (plan or the solver's explanation),
// and `why` for one installed module.
export function WhyPage({ route }: { route: Route }) {
  const module = route.params.get('module');
  return (
    <section aria-labelledby="why-title">
      <h1 id="why-title">Why</h1>
      <ResolveForm />
      {module && <InstalledWhy module={module} />}
    </section>
  );
}

function ResolveForm() {
  const [text, setText] = useState('');
  const [result, setResult] = useState<Loaded<ResolveResult> | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const modules = text
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter(Boolean);
    setResult({ state: 'loading' });
    try {
      const data = await apiRequest<ResolveResult>('/api/v1/resolve', {
        method: 'POST',
        body: JSON.stringify({ modules }),
      });
      setResult({ state: 'ok', data });
    } catch (err) {
      setResult({ state: 'error', message: (err as Error).message });
    }
  };
  return (
    <section aria-labelledby="resolve-title">
      <h2 id="resolve-title">Would these modules resolve?</h2>
      <form onSubmit={submit}>
        <label htmlFor="modules">
          Modules, one per line or comma-separated (e.g. taskservs/kubernetes@^1.28)
        </label>
        <textarea id="modules" rows={4} value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit">Resolve (dry run)</button>
      </form>
      {result && (
        <Status loaded={result} label="resolution">
          {(r) =>
            r.ok ? (
              <div data-testid="plan">
                <p className="ok">Resolves: {r.modules.length} modules.</p>
                <ul>
                  {r.modules.map((m) => (
                    <li key={m.name} data-planned={m.name}>
                      {m.name}@{m.version}
                    </li>
                  ))}
                </ul>
                <DependencyGraph
                  nodes={r.modules.map((m) => ({ id: `${m.name}@${m.version}`, ...m }))}
                  edges={r.edges}
                  title="Resolved plan"
                />
              </div>
            ) : (
              <div data-testid="explanation">
                <p className="error">Does not resolve ({r.code}):</p>
                <pre>{r.explanation}</pre>
              </div>
            )
          }
        </Status>
      )}
    </section>
  );
}

function InstalledWhy({ module }: { module: string }) {
  const why = useApi<Why>(`/api/v1/why${query({ module })}`);
  return (
    <section aria-labelledby="installed-why">
      <h2 id="installed-why">Why {module} has its version</h2>
      <Status loaded={why} label={`why ${module}`}>
        {(w) => (
          <div data-testid="why">
            <p>
              {w.module}@{w.version}
            </p>
            <pre>{w.explanation}</pre>
          </div>
        )}
      </Status>
    </section>
  );
}
