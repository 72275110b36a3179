// The toolbar popup: a quick draft (with Copy and "Open LinkedIn's composer"), balance, upcoming
// and recent posts, buying credits, the LinkedIn connection, and the way into the web dashboard
// (calendar). Signed out, just the way to sign in.
import { useCallback, useEffect, useState } from 'react';
import { ErrorNote } from '~components/ErrorNote';
import { PostItem } from '~components/PostItem';
import { QuickDraft } from '~components/QuickDraft';
import { SignedOut } from '~components/SignedOut';
import { Style } from '~components/styles';
import { bg } from '~lib/bg';
import type { LinkedInStatus, Me, Pack, Post, PostChange, Problem } from '~lib/types';

const UPCOMING = new Set(['generating', 'draft', 'scheduled', 'publishing']);

export default function Popup() {
  const [me, setMe] = useState<Me | null>(null);
  const [posts, setPosts] = useState<Post[] | null>(null);
  const [packs, setPacks] = useState<Pack[]>([]);
  const [linkedin, setLinkedIn] = useState<LinkedInStatus | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [signedOut, setSignedOut] = useState<Problem | null>(null);

  const load = useCallback(async () => {
    const [m, p, k, c] = await Promise.all([bg.me(), bg.listPosts(), bg.packs(), bg.connections()]);
    // The first failure says it all (not configured, offline…); the rest would repeat it.
    const failed = [m, p, k, c].find((r) => !r.ok);
    const error = failed && !failed.ok ? failed.error : null;
    const needsSignIn = error?.kind === 'not_configured' || error?.kind === 'unauthorized';
    setSignedOut(needsSignIn ? error : null);
    setProblem(needsSignIn ? null : error);
    if (m.ok) setMe(m.data);
    if (p.ok) setPosts(p.data.posts);
    if (k.ok) setPacks(k.data.packs);
    if (c.ok) setLinkedIn(c.data.linkedin);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  // The list is read from the database, which the post's workflow updates a moment after it
  // answers; the answer itself is the fresher truth, so it is applied directly.
  const applyChange = (id: string) => (c: PostChange) => {
    setPosts((ps) =>
      (ps ?? []).map((p) => (p.id === id ? { ...p, status: c.status, scheduledAt: c.scheduledAt, ...(c.reason ? { reason: c.reason } : {}) } : p)),
    );
    setTimeout(() => void bg.me().then((m) => m.ok && setMe(m.data)), 1000);
  };

  const run = async (r: Promise<{ ok: boolean; error?: Problem }>) => {
    const out = await r;
    if (!out.ok && out.error) setProblem(out.error);
  };

  const upcoming = (posts ?? []).filter((p) => UPCOMING.has(p.status)).sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
  const recent = (posts ?? []).filter((p) => !UPCOMING.has(p.status)).slice(0, 10);

  return (
    <div className="pf" style={{ width: 380, padding: 14 }}>
      <Style />
      <div className="pf-head">
        <span className="pf-title">PostForge</span>
        <span className="pf-credits" data-testid="pf-balance">
          {me ? (
            <>
              <strong data-testid="pf-credit-count">{me.credits}</strong> credits
            </>
          ) : (
            '…'
          )}
        </span>
      </div>
      {me && <div className="pf-muted">{me.account.name ?? me.account.id}</div>}
      <ErrorNote problem={problem} />
      {signedOut ? (
        <SignedOut problem={signedOut} onSignedIn={load} />
      ) : (
        <>
          <QuickDraft onCharged={(credits) => setMe((m) => (m ? { ...m, credits } : m))} />

          <div className="pf-section">
            <h2>Buy credits</h2>
            <div className="pf-actions">
              {packs.map((p) => (
                <button key={p.id} className="pf-btn small" data-testid={`pf-buy-${p.id}`} onClick={() => run(bg.buy({ pack: p.id }))}>
                  {p.credits} credits · {p.price}
                </button>
              ))}
            </div>
          </div>

          <div className="pf-section" data-testid="pf-linkedin">
            <h2>LinkedIn</h2>
            {linkedin === null ? (
              <span className="pf-muted">…</span>
            ) : linkedin.connected ? (
              <div>
                Connected as <strong>{linkedin.name ?? 'you'}</strong>
                {linkedin.expiresSoon && (
                  <div className="pf-muted">
                    The connection expires soon.{' '}
                    <button className="pf-btn small secondary" onClick={() => run(bg.connectLinkedIn())}>
                      Reconnect
                    </button>
                  </div>
                )}
              </div>
            ) : (
              <div>
                <span className="pf-muted">
                  {linkedin.expired
                    ? 'The connection expired; scheduled posts wait until you reconnect.'
                    : 'Not connected: scheduled posts cannot be published yet.'}
                </span>{' '}
                <button className="pf-btn small" data-testid="pf-connect" onClick={() => run(bg.connectLinkedIn())}>
                  Connect LinkedIn
                </button>
              </div>
            )}
          </div>

          <div className="pf-section">
            <h2>Upcoming</h2>
            {posts && upcoming.length === 0 && <div className="pf-muted">Nothing scheduled.</div>}
            <ul className="pf-list" data-testid="pf-upcoming">
              {upcoming.map((p) => (
                <PostItem key={p.id} post={p} onChanged={applyChange(p.id)} onError={setProblem} />
              ))}
            </ul>
          </div>

          <div className="pf-section">
            <h2>Recent</h2>
            {posts && recent.length === 0 && <div className="pf-muted">No posts yet.</div>}
            <ul className="pf-list" data-testid="pf-recent">
              {recent.map((p) => (
                <PostItem key={p.id} post={p} onChanged={applyChange(p.id)} onError={setProblem} />
              ))}
            </ul>
          </div>
        </>
      )}
      <div className="pf-actions">
        <button className="pf-btn small" data-testid="pf-open-dashboard" onClick={() => run(bg.openDashboard())}>
          Open dashboard
        </button>
        <button className="pf-btn small secondary" onClick={() => chrome.runtime.openOptionsPage()}>
          Settings
        </button>
      </div>
    </div>
  );
}
