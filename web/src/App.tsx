import { useCallback, useEffect, useRef, useState } from 'react';
import { api, setCsrfToken, setUnauthorizedHandler } from './lib/api';
import { SESSION, takePrefetched } from './lib/prefetch';
import { Link, match, navigate, useLocation } from './lib/router';
import { setTheme, useTheme } from './lib/theme';
import type { Session } from './lib/types';
import { Loading } from './components/States';
import { LoginPage } from './pages/Login';
import { OverviewPage } from './pages/Overview';
import { SearchPage } from './pages/Search';
import { PostPage } from './pages/Post';
import { IndicatorsPage, PivotPage } from './pages/Indicators';
import { ExploitsPage } from './pages/Exploits';
import { ActorsPage, ActorGraphPage } from './pages/Actors';
import { ActorPage } from './pages/Actor';
import { WatchlistsPage } from './pages/Watchlists';
import { ModelsPage } from './pages/Models';

const NAV: [string, string][] = [
  ['/', 'Overview'], ['/search', 'Search'], ['/exploits', 'Exploits'], ['/indicators', 'Indicators'],
  ['/actors', 'Actors'], ['/watchlists', 'Watchlists'], ['/models', 'Models'],
];

export function App() {
  const [session, setSession] = useState<Session | null | 'checking'>('checking');
  const location = useLocation();
  const theme = useTheme();
  // After an in-app navigation, move focus to the content (screen readers announce the new page;
  // Tab continues from there) — but not on the first load, where the skip link comes first.
  const firstPath = useRef(location.path);
  useEffect(() => {
    if (location.path === firstPath.current) return;
    firstPath.current = '';
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location.path]);

  const loggedOut = useCallback(() => {
    setCsrfToken(null);
    setSession(null);
  }, []);
  useEffect(() => {
    setUnauthorizedHandler(loggedOut);
    // main.ts started this request before React loaded.
    (takePrefetched<Session>(SESSION) ?? api<Session>(SESSION))
      .then((s) => {
        setCsrfToken(s.csrfToken);
        setSession(s);
      })
      .catch(loggedOut);
  }, [loggedOut]);

  if (session === 'checking') return <main className="centre"><Loading what="session" /></main>;
  if (session === null) {
    return <LoginPage onLogin={(s) => {
      setCsrfToken(s.csrfToken);
      setSession(s);
      if (location.path === '/login') navigate('/', true);
    }} />;
  }

  const logout = async () => {
    await api('/api/v1/session', { method: 'DELETE' }).catch(() => undefined);
    loggedOut();
  };

  return (
    <div className="layout">
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <Link to="/" className="brand" aria-label="threatminer overview">threatminer</Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([to, label]) => {
              const active = to === '/' ? location.path === '/' : location.path.startsWith(to);
              return <li key={to}><Link to={to} aria-current={active ? 'page' : undefined}>{label}</Link></li>;
            })}
          </ul>
        </nav>
        <div className="who">
          <span className="muted" title={`key ${session.keyId}`}>{session.name} · {session.role}</span>
          <button type="button" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
            {theme === 'dark' ? '☀' : '☾'}
          </button>
          <button type="button" onClick={() => void logout()}>Log out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Route path={location.path} query={location.query} session={session} />
      </main>
    </div>
  );
}

function Route({ path, query, session }: { path: string; query: URLSearchParams; session: Session }) {
  let params: Record<string, string> | null;
  if (path === '/' || path === '/login') return <OverviewPage />;
  if (path === '/search') return <SearchPage query={query} session={session} />;
  if ((params = match('/posts/:id', path))) return <PostPage id={params.id!} />;
  if (path === '/indicators') return <IndicatorsPage query={query} />;
  if (path === '/indicators/pivot') return <PivotPage value={query.get('value') ?? ''} />;
  if (path === '/exploits') return <ExploitsPage query={query} />;
  if (path === '/actors') return <ActorsPage query={query} />;
  if (path === '/actors/graph') return <ActorGraphPage />;
  if ((params = match('/actors/:id', path))) return <ActorPage id={params.id!} />;
  if (path === '/watchlists') return <WatchlistsPage session={session} />;
  if (path === '/models') return <ModelsPage />;
  return <div className="state empty"><strong>No such page</strong><div className="hint"><Link to="/">Back to the overview</Link></div></div>;
}
