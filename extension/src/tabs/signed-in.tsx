// Where the API's "Sign in with LinkedIn" lands: the session token is in the URL fragment (never
// sent to any server); it goes to the service worker and is wiped from the address bar at once.
import { useEffect, useState } from 'react';
import { Style } from '~components/styles';
import { sendToBackground } from '@plasmohq/messaging';
import type { Me, Result } from '~lib/types';

export default function SignedIn() {
  const [result, setResult] = useState<Result<Me> | null>(null);
  useEffect(() => {
    const params = new URLSearchParams(location.hash.slice(1));
    history.replaceState(null, '', location.pathname);
    void (sendToBackground({ name: 'complete-sign-in' as never, body: { token: params.get('token') ?? '' } }) as Promise<Result<Me>>).then(setResult);
  }, []);
  return (
    <div className="pf" style={{ maxWidth: 480, margin: '64px auto', padding: 16 }}>
      <Style />
      <div className="pf-title" style={{ fontSize: 18 }}>
        ✦ PostForge
      </div>
      {!result && <p>Signing you in…</p>}
      {result?.ok && (
        <div className="pf-note" data-testid="pf-signed-in">
          Signed in as <strong>{result.data.account.name ?? result.data.account.id}</strong> — {result.data.credits} credits. You can close this tab and go back
          to LinkedIn.
        </div>
      )}
      {result && !result.ok && (
        <div className="pf-error" role="alert" data-testid="pf-sign-in-error">
          {result.error.message}
        </div>
      )}
    </div>
  );
}
