import { bg } from '~lib/bg';
import type { Problem } from '~lib/types';

/** Not signed in: one clear way forward instead of a form that cannot work. */
export function SignedOut({ problem, onSignedIn }: { problem: Problem; onSignedIn: () => void }) {
  const revoked = problem.kind === 'unauthorized';
  return (
    <div className="pf-body pf-empty" data-testid="pf-signed-out">
      <div className="pf-empty-title">{revoked ? 'Your sign-in has expired' : 'Write LinkedIn posts with PostForge'}</div>
      <p className="pf-muted">
        {revoked
          ? 'Sign in again to keep writing. Your drafts and scheduled posts are safe.'
          : 'Sign in to write drafts, insert them into LinkedIn’s post box and schedule them. New accounts get free credits.'}
      </p>
      <button className="pf-btn" data-testid="pf-sign-in" onClick={() => void bg.signIn().then((r) => r.ok && onSignedIn())}>
        Sign in with LinkedIn
      </button>
      <button className="pf-btn small secondary" onClick={() => void bg.openOptions()}>
        Use an API key or your own server
      </button>
    </div>
  );
}
