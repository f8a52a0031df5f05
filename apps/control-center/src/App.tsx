import { BrowsePage } from './pages/BrowsePage';
import { ExtensionPage } from './pages/ExtensionPage';
import { WhyPage } from './pages/WhyPage';
import { WorkspacePage } from './pages/WorkspacePage';
import { href, type Route, useRoute } from './router';

function Page({ route }: { route: Route }) {
  const [first, ...rest] = route.path;
  if (first === 'ext' && rest.length === 2) {
    const [namespace = '', name = ''] = rest;
    return (
      <ExtensionPage namespace={namespace} name={name} version={route.params.get('version') ?? undefined} />
    );
  }
  if (first === 'workspace') return <WorkspacePage />;
  if (first === 'why') return <WhyPage route={route} />;
  if (first === undefined) return <BrowsePage route={route} />;
  return (
    <p role="alert">
      No page at <code>{route.path.join('/')}</code>. <a href="#/">Go to extensions</a>.
    </p>
  );
}

export function App() {
  const route = useRoute();
  const section = route.path[0] ?? '';
  const link = (to: string, label: string) => (
    <a
      href={href(to ? [to] : [])}
      aria-current={section === to || (to === '' && section === 'ext') ? 'page' : undefined}
    >
      {label}
    </a>
  );
  return (
    <>
      <button type="button" className="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header>
        <strong>Provisioning control center</strong>
        <nav aria-label="Main">
          {link('', 'Extensions')}
          {link('workspace', 'Workspace')}
          {link('why', 'Why')}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Page key={route.path.join('/')} route={route} />
      </main>
    </>
  );
}
