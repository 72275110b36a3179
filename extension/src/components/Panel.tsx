// The composer panel: topic and tone in, a streamed draft out, then Insert, Regenerate or Schedule.
import { useCallback, useEffect, useState } from 'react';
import { bg } from '~lib/bg';
import { draftText, insertIntoEditor } from '~lib/insert';
import { findEditor } from '~lib/selectors';
import { browserTimeZone, formatWhen } from '~lib/time';
import { TONES, type GenerateRequest, type Problem, type Tone } from '~lib/types';
import { useGenerate } from '~lib/useGenerate';
import { Credits } from './Credits';
import { ErrorNote } from './ErrorNote';
import { SchedulePicker } from './SchedulePicker';

const defaultLanguage = () => (navigator.language || 'en').split('-')[0] || 'en';

export function Panel({ onClose }: { onClose: () => void }) {
  const [credits, setCredits] = useState<number | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [form, setForm] = useState<GenerateRequest>({ topic: '', tone: 'professional', language: defaultLanguage(), instructions: '' });
  const [scheduling, setScheduling] = useState(false);
  const [busy, setBusy] = useState(false);
  const { state, start } = useGenerate(useCallback((c: number) => setCredits(c), []));

  const refreshCredits = useCallback(async () => {
    const r = await bg.me();
    if (r.ok) setCredits(r.data.credits);
    else setProblem(r.error);
  }, []);
  useEffect(() => {
    void refreshCredits();
  }, [refreshCredits]);

  useEffect(() => {
    if (state.phase === 'failed') {
      setProblem(state.error);
      if (state.error.kind === 'no_credits') setCredits(0);
    }
  }, [state]);

  const generate = () => {
    setProblem(null);
    setNote(null);
    setScheduling(false);
    if (form.topic.trim().length < 3) return setProblem({ kind: 'invalid', message: 'Write a topic of at least 3 characters.' });
    const { instructions, ...rest } = form;
    start({ ...rest, topic: rest.topic.trim(), ...(instructions?.trim() ? { instructions: instructions.trim() } : {}) });
  };

  const draft = state.phase === 'done' ? state.draft : null;

  const insert = () => {
    if (!draft) return;
    const editor = findEditor();
    if (!editor) return setProblem({ kind: 'not_found', message: 'LinkedIn’s post box is closed. Open “Start a post” and press Insert again.' });
    insertIntoEditor(editor, draftText(draft));
    setNote('Inserted into your post. Edit it there, then press LinkedIn’s Post button.');
  };

  const schedule = async (at: Date) => {
    if (!draft) return;
    setBusy(true);
    setProblem(null);
    const r = await bg.createPost({
      text: draft.content,
      ...(draft.hashtags.length ? { hashtags: draft.hashtags } : {}),
      scheduledAt: at.toISOString(),
      timeZone: browserTimeZone(),
      // The draft's credit pays for the post, so scheduling it costs nothing more.
      ...(draft.draftId ? { draftId: draft.draftId } : {}),
    });
    setBusy(false);
    if (!r.ok) return setProblem(r.error);
    setScheduling(false);
    const conn = await bg.connections();
    const linked = conn.ok && conn.data.linkedin.connected;
    setNote(`Scheduled for ${formatWhen(r.data.scheduledAt)}.${linked ? '' : ' Connect LinkedIn in the PostForge popup so it can be published.'}`);
    void refreshCredits();
  };

  const streaming = state.phase === 'streaming';
  return (
    <div className="pf pf-panel" data-testid="pf-panel">
      <div className="pf-head">
        <span className="pf-title">PostForge</span>
        <Credits credits={credits} onError={setProblem} />
        <button className="pf-btn small secondary" onClick={onClose} aria-label="Close PostForge">
          ✕
        </button>
      </div>
      <label htmlFor="pf-topic">Topic</label>
      <input id="pf-topic" data-testid="pf-topic" placeholder="What should the post be about?" value={form.topic} onChange={(e) => setForm({ ...form, topic: e.target.value })} onKeyDown={(e) => e.stopPropagation()} />
      <div className="pf-row">
        <div>
          <label htmlFor="pf-tone">Tone</label>
          <select id="pf-tone" data-testid="pf-tone" value={form.tone} onChange={(e) => setForm({ ...form, tone: e.target.value as Tone })}>
            {TONES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="pf-language">Language</label>
          <input id="pf-language" data-testid="pf-language" value={form.language} onChange={(e) => setForm({ ...form, language: e.target.value })} onKeyDown={(e) => e.stopPropagation()} />
        </div>
      </div>
      <label htmlFor="pf-instructions">Instructions (optional)</label>
      <textarea id="pf-instructions" data-testid="pf-instructions" placeholder="e.g. mention our launch on Monday, end with a question" value={form.instructions} onChange={(e) => setForm({ ...form, instructions: e.target.value })} onKeyDown={(e) => e.stopPropagation()} />
      <div className="pf-actions">
        {!draft && (
          <button className="pf-btn" data-testid="pf-generate" onClick={generate} disabled={streaming || credits === 0}>
            {streaming ? 'Writing…' : 'Write draft (1 credit)'}
          </button>
        )}
      </div>
      {state.phase !== 'idle' && state.text && (
        <div className="pf-draft" data-testid="pf-draft" aria-live="polite">
          {draft ? draftText(draft) : state.text}
        </div>
      )}
      {draft && !scheduling && (
        <div className="pf-actions">
          <button className="pf-btn" data-testid="pf-insert" onClick={insert}>
            Insert
          </button>
          <button className="pf-btn secondary" data-testid="pf-regenerate" onClick={generate} disabled={credits === 0}>
            Regenerate
          </button>
          <button className="pf-btn secondary" data-testid="pf-schedule" onClick={() => setScheduling(true)}>
            Schedule…
          </button>
        </div>
      )}
      {draft && scheduling && <SchedulePicker busy={busy} label="Schedule on LinkedIn" onPick={schedule} onCancel={() => setScheduling(false)} />}
      {note && (
        <div className="pf-note" role="status" data-testid="pf-note">
          {note}
        </div>
      )}
      <ErrorNote problem={problem} />
    </div>
  );
}
