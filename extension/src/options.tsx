// API URL and key. Saved only after GET /v1/me accepts them, with the reason in words when not.
import { useEffect, useState, type FormEvent } from 'react';
import { Style } from '~components/styles';
import { bg } from '~lib/bg';
import type { Problem } from '~lib/types';

export default function Options() {
  const [apiUrl, setApiUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [keyHint, setKeyHint] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    void bg.getSettings().then((r) => {
      if (!r.ok) return;
      setApiUrl(r.data.apiUrl);
      setKeyHint(r.data.keyHint);
    });
  }, []);

  const save = async (e: FormEvent) => {
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
  };

  return (
    <form className="pf" style={{ maxWidth: 520, margin: '32px auto', padding: 16 }} onSubmit={save}>
      <Style />
      <div className="pf-title" style={{ fontSize: 18 }}>PostForge settings</div>
      <p className="pf-muted">
        The extension talks to your PostForge server with an API key. Create one with <code>/postforge key</code> in Slack or{' '}
        <code>npm run api-key -- create</code>.
      </p>
      <label htmlFor="apiUrl">API URL</label>
      <input id="apiUrl" data-testid="pf-api-url" value={apiUrl} onChange={(e) => setApiUrl(e.target.value)} placeholder="http://localhost:3000" />
      <label htmlFor="apiKey">API key</label>
      <input id="apiKey" data-testid="pf-api-key" type="password" autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.target.value)} placeholder={keyHint ? `saved key ${keyHint} — paste a new one to change it` : 'pf_…'} />
      <div className="pf-actions">
        <button className="pf-btn" type="submit" data-testid="pf-save" disabled={busy}>
          {busy ? 'Checking…' : 'Save and verify'}
        </button>
      </div>
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
    </form>
  );
}
