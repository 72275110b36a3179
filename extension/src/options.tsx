// Settings: who you are signed in as (Sign in with LinkedIn / Sign out), and, under Advanced, the
// API URL of a self-hosted PostForge and an API key for those who prefer one.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Style } from '~components/styles';
import { bg } from '~lib/bg';
import type { Me, Problem } from '~lib/types';

/** A self-hosted server may not list this extension in CORS_ORIGINS; host access to it works too. */
async function requestHostAccess(apiUrl: string): Promise<void> {
  const origins = [`${new URL(apiUrl).origin}/*`];
  const asked = chrome.permissions?.request({ origins }).catch(() => false);
  // Never block saving on the browser's prompt.
  await Promise.race([asked, new Promise((r) => setTimeout(r, 1500))]);
}

export default function Options() {
  const [me, setMe] = useState<Me | null>(null);
  const [apiUrl, setApiUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [keyHint, setKeyHint] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const load = useCallback(async () => {
    const [s, m] = await Promise.all([bg.getSettings(), bg.me()]);
    if (s.ok) {
      setApiUrl(s.data.apiUrl);
      setKeyHint(s.data.keyHint);
    }
    setMe(m.ok ? m.data : null);
  }, []);
  useEffect(() => {
    void load();
    const again = () => void load();
    window.addEventListener('focus', again);
    return () => window.removeEventListener('focus', again);
  }, [load]);

  const run = async (what: () => Promise<{ ok: boolean; error?: Problem }>, done?: string) => {
    setBusy(true);
    setProblem(null);
    setSaved(null);
    const r = await what();
    setBusy(false);
    if (!r.ok && r.error) return setProblem(r.error);
    if (done) setSaved(done);
    await load();
  };

  const saveUrl = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await bg.saveApiUrl({ apiUrl });
      if (r.ok) await requestHostAccess(r.data.apiUrl);
      return r;
    }, 'Server saved. Now sign in.');
  };

  const saveKey = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    setSaved(null);
    const r = await bg.saveSettings({ apiUrl, apiKey });
    setBusy(false);
    if (!r.ok) return setProblem(r.error);
    setSaved(`Connected as ${r.data.account.name ?? r.data.account.id} — ${r.data.credits} credits left.`);
    setKeyHint(`…${apiKey.trim().slice(-4)}`);
    setApiKey('');
    setMe(r.data);
  };

  return (
    <div className="pf" style={{ maxWidth: 520, margin: '32px auto', padding: 16 }}>
      <Style />
      <div className="pf-title" style={{ fontSize: 18 }}>
        PostForge settings
      </div>

      <div className="pf-section" data-testid="pf-account">
        <h2>Account</h2>
        {me ? (
          <div>
            Signed in as <strong>{me.account.name ?? me.account.id}</strong> · {me.credits} credits{' '}
            <button className="pf-btn small secondary" data-testid="pf-sign-out" disabled={busy} onClick={() => void run(() => bg.signOut(), 'Signed out.')}>
              Sign out
            </button>
          </div>
        ) : (
          <div>
            <p className="pf-muted">Sign in with your LinkedIn account. New accounts get free credits.</p>
            <button className="pf-btn" data-testid="pf-sign-in" disabled={busy} onClick={() => void run(() => bg.signIn())}>
              Sign in with LinkedIn
            </button>
          </div>
        )}
      </div>

      <details className="pf-section">
        <summary data-testid="pf-advanced">Advanced: your own server, or an API key</summary>
        <form onSubmit={saveUrl}>
          <label htmlFor="apiUrl">API URL (for a self-hosted PostForge)</label>
          <input id="apiUrl" data-testid="pf-api-url" value={apiUrl} onChange={(e) => setApiUrl(e.target.value)} placeholder="https://postforge.example.com" />
          <div className="pf-actions">
            <button className="pf-btn small secondary" type="submit" data-testid="pf-save-url" disabled={busy}>
              Save server
            </button>
          </div>
        </form>
        <form onSubmit={saveKey}>
          <label htmlFor="apiKey">API key (instead of signing in)</label>
          <p className="pf-muted">
            Create one with <code>/postforge key</code> in Slack or <code>npm run api-key -- create</code>.
          </p>
          <input
            id="apiKey"
            data-testid="pf-api-key"
            type="password"
            autoComplete="off"
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            placeholder={keyHint ? `saved key ${keyHint} — paste a new one to change it` : 'pf_…'}
          />
          <div className="pf-actions">
            <button className="pf-btn small" type="submit" data-testid="pf-save" disabled={busy}>
              {busy ? 'Checking…' : 'Save and verify key'}
            </button>
          </div>
        </form>
      </details>

      {saved && (
        <div className="pf-note" role="status" data-testid="pf-saved">
          {saved}
        </div>
      )}
      {problem && (
        <div className="pf-error" role="alert" data-testid="pf-options-error" data-kind={problem.kind}>
          {problem.message}
        </div>
      )}
    </div>
  );
}
