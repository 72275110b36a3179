// The shell: who is signed in, the navigation, the post panel, and the live-update version every
// page refetches on.
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type Me } from './api';
import { useLiveVersion } from './live';
import { PostPanel } from './PostPanel';
import { CalendarPage } from './pages/CalendarPage';
import { ComposePage } from './pages/ComposePage';
import { CreditsPage } from './pages/CreditsPage';
import { OverviewPage } from './pages/OverviewPage';
import { PostsPage } from './pages/PostsPage';
import { SchedulePage } from './pages/SchedulePage';
import { SeriesPage } from './pages/SeriesPage';

export interface PageProps {
  me: Me;
  version: number;
  openPost: (id: string) => void;
  /** Tells the shell something changed here, so every view refetches now rather than at the next poll. */
  changed: () => void;
  go: (page: PageName) => void;
}

const PAGES = {
  overview: 'Overview',
  calendar: 'Calendar',
  posts: 'Posts',
  compose: 'Compose',
  schedule: 'Schedule',
  series: 'Series',
  credits: 'Credits',
} as const;
export type PageName = keyof typeof PAGES;

const pageFromPath = (): PageName => {
  const name = location.pathname.replace(/^\/app\/?/, '').split('/')[0] ?? '';
  return name in PAGES ? (name as PageName) : 'overview';
};

export function App() {
  const [me, setMe] = useState<Me | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [page, setPage] = useState<PageName>(pageFromPath);
  const [openId, setOpenId] = useState<string | undefined>();
  const live = useLiveVersion();
  const [local, setLocal] = useState(0);
  const version = live + local;
  const changed = useCallback(() => setLocal((v) => v + 1), []);

  useEffect(() => {
    api.me().then(setMe, (e: unknown) => setError(e instanceof ApiError && e.status === 401 ? 'signed-out' : String((e as Error).message)));
  }, [version]);
  useEffect(() => {
    const onPop = () => setPage(pageFromPath());
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const go = useCallback((p: PageName) => {
    history.pushState(null, '', `/app/${p}`);
    setPage(p);
  }, []);

  if (error === 'signed-out') {
    return (
      <main className="signed-out" data-testid="signed-out">
        <h1>PostForge</h1>
        <p>You are not signed in, or your session ended.</p>
        <p>
          Get a sign-in link with <code>/postforge dashboard</code> in Slack, <code>/dashboard</code> in Discord, or <em>Open dashboard</em> in the browser
          extension.
        </p>
      </main>
    );
  }
  if (!me) return <main className="loading">{error ?? 'Loading…'}</main>;

  const props: PageProps = { me, version, openPost: setOpenId, changed, go };
  return (
    <div className="shell">
      <header className="top">
        <strong className="brand">PostForge</strong>
        <nav aria-label="Pages">
          {(Object.keys(PAGES) as PageName[]).map((p) => (
            <a
              key={p}
              href={`/app/${p}`}
              aria-current={page === p ? 'page' : undefined}
              data-testid={`nav-${p}`}
              onClick={(e) => {
                e.preventDefault();
                go(p);
              }}
            >
              {PAGES[p]}
            </a>
          ))}
        </nav>
        <span className="who" data-testid="who">
          {me.account.name} · {me.member.role} · <span data-testid="credits-left">{me.credits}</span> credits
        </span>
        <button
          className="link"
          onClick={() => {
            void api.logout().then(() => setError('signed-out'));
          }}
        >
          Sign out
        </button>
      </header>
      <main className="page">
        {page === 'overview' && <OverviewPage {...props} />}
        {page === 'calendar' && <CalendarPage {...props} />}
        {page === 'posts' && <PostsPage {...props} />}
        {page === 'compose' && <ComposePage {...props} />}
        {page === 'schedule' && <SchedulePage {...props} />}
        {page === 'series' && <SeriesPage {...props} />}
        {page === 'credits' && <CreditsPage {...props} />}
      </main>
      {openId && <PostPanel id={openId} me={me} version={version} changed={changed} go={go} onClose={() => setOpenId(undefined)} />}
    </div>
  );
}
