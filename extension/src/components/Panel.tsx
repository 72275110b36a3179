// The side sheet: topic, tone and language in; a streamed draft out, previewed as the feed shows
// it; then Insert (verified), Copy, Schedule or Regenerate. Rewrite / Shorten / New hook work on
// the text already in LinkedIn's editor. Its actions sit in a footer that never scrolls away.
import { useCallback, useEffect, useState } from 'react';
import { bg } from '~lib/bg';
import { editorText, isEmptyEditor, normalized } from '~lib/composer/editorText';
import { findStartPost } from '~lib/composer/find';
import type { SelectorTable } from '~lib/composer/selectors';
import { copyText } from '~lib/copy';
import { draftText, insertIntoEditor, type InsertMode } from '~lib/insert';
import { charCount, COMPOSE_URL, defaultLanguage, LANGUAGES, LINKEDIN_MAX_CHARS } from '~lib/linkedin';
import { browserTimeZone, formatWhen } from '~lib/time';
import { TONES, type GenerateMode, type Problem, type Tone } from '~lib/types';
import { useGenerate } from '~lib/useGenerate';
import type { PageStore } from '~ui/store';
import { Credits } from './Credits';
import { DraftView } from './DraftView';
import { ErrorNote } from './ErrorNote';
import { SchedulePicker } from './SchedulePicker';
import { SignedOut } from './SignedOut';

const IMPROVE: { mode: Exclude<GenerateMode, 'draft'>; label: string }[] = [
  { mode: 'rewrite', label: 'Rewrite' },
  { mode: 'shorten', label: 'Shorten' },
  { mode: 'hook', label: 'New hook' },
];

const NEEDS_SIGN_IN = new Set(['not_configured', 'unauthorized']);

/** A disabled button says why, right next to it. */
const Reason = ({ id, text }: { id: string; text: string | null }) =>
  text ? (
    <span className="pf-reason" data-testid={id}>
      {text}
    </span>
  ) : null;

export function Panel({
  store,
  table,
  hasComposer,
  onCollapse,
}: {
  store: PageStore;
  table: () => SelectorTable;
  hasComposer: boolean;
  onCollapse: () => void;
}) {
  const [credits, setCredits] = useState<number | null>(null);
  const [signedOut, setSignedOut] = useState<Problem | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [form, setForm] = useState({ topic: '', tone: 'professional' as Tone, language: defaultLanguage(), instructions: '' });
  const [step, setStep] = useState<'compose' | 'choose-insert' | 'scheduling'>('compose');
  const [busy, setBusy] = useState(false);
  const [queueRefusals, setQueueRefusals] = useState(0);
  const { state, start, stop } = useGenerate(useCallback((c: number) => setCredits(c), []));

  const load = useCallback(async () => {
    const r = await bg.me();
    if (r.ok) {
      setSignedOut(null);
      setCredits(r.data.credits);
    } else if (NEEDS_SIGN_IN.has(r.error.kind)) setSignedOut(r.error);
    else setProblem(r.error);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  // Signing in happens in another tab; coming back to this one checks again.
  useEffect(() => {
    if (!signedOut) return;
    const again = () => void load();
    window.addEventListener('focus', again);
    const t = setInterval(again, 3000);
    return () => {
      window.removeEventListener('focus', again);
      clearInterval(t);
    };
  }, [signedOut, load]);

  useEffect(() => {
    if (state.phase === 'failed') {
      setProblem(state.error);
      if (state.error.kind === 'no_credits') setCredits(0);
    }
    if (state.phase === 'stopped') {
      setNote('Stopped. The unfinished draft was not charged.');
      setTimeout(() => void load(), 800);
    }
  }, [state, load]);

  const streaming = state.phase === 'streaming';
  const draft = state.phase === 'done' ? state.draft : null;
  const text = draft ? draftText(draft) : 'text' in state ? state.text : '';

  const reset = () => {
    setProblem(null);
    setNote(null);
    setStep('compose');
  };

  const write = () => {
    reset();
    const topic = form.topic.trim();
    start({ topic, tone: form.tone, language: form.language, ...(form.instructions.trim() ? { instructions: form.instructions.trim() } : {}) });
  };

  const improve = (mode: Exclude<GenerateMode, 'draft'>) => {
    reset();
    const c = store.rescan();
    const current = c ? editorText(c.editor).trim() : '';
    if (!current) return setProblem({ kind: 'invalid', message: 'LinkedIn’s post box is empty: write something there first, or write a draft here.' });
    start({ mode, text: current, tone: form.tone, language: form.language, ...(form.instructions.trim() ? { instructions: form.instructions.trim() } : {}) });
  };

  const copy = async () => {
    const ok = await copyText(text);
    setNote(ok ? 'Copied. Paste it into LinkedIn’s post box with Ctrl+V (⌘V on a Mac).' : null);
    if (!ok) setProblem({ kind: 'server', message: 'The browser did not allow copying. Select the draft’s text and copy it by hand.' });
  };

  const openComposer = () => {
    const start = findStartPost(table());
    if (start) start.click();
    else location.assign(COMPOSE_URL);
  };

  const insert = async (mode?: InsertMode) => {
    setProblem(null);
    setNote(null);
    const c = store.rescan();
    if (!c) {
      return setProblem({ kind: 'not_found', message: 'LinkedIn’s post box is not open. Open it and press Insert again, or copy the draft.' });
    }
    if (!mode && !isEmptyEditor(c.editor)) return setStep('choose-insert');
    setBusy(true);
    const r = await insertIntoEditor(c.editor, c.root, text, mode ?? 'replace');
    setBusy(false);
    setStep('compose');
    if (r.ok) {
      setNote('Inserted into your post. Edit it there, then press LinkedIn’s Post button — or schedule it from here.');
      onCollapse();
      store.set({ flash: '✓ Inserted — reopen to schedule' });
      setTimeout(() => store.set({ flash: undefined }), 5000);
    } else {
      setProblem({ kind: 'server', message: 'LinkedIn’s editor did not take the text (tried twice). Copy it and paste it into the post box.' });
    }
  };

  const schedule = async (at: Date) => {
    setBusy(true);
    setProblem(null);
    // What goes out is what is in LinkedIn's editor now, the author's edits included; the draft
    // (if there is one) still pays for it, so scheduling costs no second credit.
    const c = store.rescan();
    const fromEditor = c ? editorText(c.editor).trim() : '';
    const r = await bg.createPost({
      text: fromEditor || text,
      scheduledAt: at.toISOString(),
      timeZone: browserTimeZone(),
      ...(draft?.draftId ? { draftId: draft.draftId } : {}),
    });
    setBusy(false);
    if (!r.ok) return setProblem(r.error);
    setStep('compose');
    const conn = await bg.connections();
    const linked = conn.ok && conn.data.linkedin.connected;
    setNote(
      `Scheduled for ${formatWhen(r.data.scheduledAt)}${fromEditor && normalized(fromEditor) !== normalized(text) ? ' (the text in LinkedIn’s editor, with your edits)' : ''}.${linked ? '' : ' Connect LinkedIn in the PostForge popup so it can be published.'}`,
    );
    void load();
  };

  /** "Add to queue": the next free slot of the posting schedule, taken by the API (race-safe). */
  const queue = async () => {
    setBusy(true);
    setProblem(null);
    const c = store.rescan();
    const fromEditor = c ? editorText(c.editor).trim() : '';
    const r = await bg.createPost({
      text: fromEditor || text,
      when: 'queue',
      timeZone: browserTimeZone(),
      ...(draft?.draftId ? { draftId: draft.draftId } : {}),
    });
    setBusy(false);
    if (!r.ok) {
      // The queue may have changed under the picker (slots taken, schedule gone): show it as it is now.
      setQueueRefusals((n) => n + 1);
      return setProblem(r.error);
    }
    setStep('compose');
    setNote(
      `Added to your queue: ${formatWhen(r.data.scheduledAt)}${fromEditor && normalized(fromEditor) !== normalized(text) ? ' (the text in LinkedIn’s editor, with your edits)' : ''}.`,
    );
    void load();
  };

  const writeReason = streaming ? null : credits === 0 ? 'No credits left.' : form.topic.trim().length < 3 ? 'Write a topic first (3+ characters).' : null;
  const improveReason = !hasComposer ? 'Open LinkedIn’s post box to use these.' : credits === 0 ? 'No credits left.' : streaming ? 'Writing…' : null;
  const insertReason = !hasComposer ? 'LinkedIn’s post box is not open.' : charCount(text) > LINKEDIN_MAX_CHARS ? 'Longer than LinkedIn allows.' : null;

  return (
    <aside className="pf pf-sheet" data-testid="pf-panel" aria-label="PostForge">
      <header className="pf-head">
        <span className="pf-title">✦ PostForge</span>
        {!signedOut && <Credits credits={credits} onError={setProblem} />}
        <button className="pf-btn small secondary" onClick={onCollapse} aria-label="Close PostForge" data-testid="pf-close">
          ✕
        </button>
      </header>

      {signedOut ? (
        <SignedOut problem={signedOut} onSignedIn={load} />
      ) : (
        <>
          <div className="pf-body">
            <label htmlFor="pf-topic">Topic</label>
            <input
              id="pf-topic"
              data-testid="pf-topic"
              placeholder="What should the post be about?"
              value={form.topic}
              onChange={(e) => setForm({ ...form, topic: e.target.value })}
              onKeyDown={(e) => e.stopPropagation()}
            />
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
                <select id="pf-language" data-testid="pf-language" value={form.language} onChange={(e) => setForm({ ...form, language: e.target.value })}>
                  {LANGUAGES.map((l) => (
                    <option key={l.code} value={l.code}>
                      {l.name}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <label htmlFor="pf-instructions">Instructions (optional)</label>
            <textarea
              id="pf-instructions"
              data-testid="pf-instructions"
              placeholder="e.g. mention our launch on Monday, end with a question"
              value={form.instructions}
              onChange={(e) => setForm({ ...form, instructions: e.target.value })}
              onKeyDown={(e) => e.stopPropagation()}
            />

            <div className="pf-improve">
              <span className="pf-muted">Improve the post in LinkedIn’s editor (1 credit each):</span>
              <div className="pf-actions">
                {IMPROVE.map((i) => (
                  <button
                    key={i.mode}
                    className="pf-btn small secondary"
                    data-testid={`pf-${i.mode}`}
                    disabled={!!improveReason}
                    onClick={() => improve(i.mode)}
                  >
                    {i.label}
                  </button>
                ))}
              </div>
              <Reason id="pf-improve-reason" text={improveReason} />
            </div>

            {text && <DraftView text={text} streaming={streaming} />}
            {note && (
              <div className="pf-note" role="status" data-testid="pf-note">
                {note}
              </div>
            )}
            <ErrorNote problem={problem} />
          </div>

          <footer className="pf-foot" data-testid="pf-actions">
            {streaming ? (
              <button className="pf-btn danger" data-testid="pf-stop" onClick={stop}>
                ■ Stop
              </button>
            ) : step === 'choose-insert' ? (
              <div>
                <div className="pf-muted">LinkedIn’s post box already has text.</div>
                <div className="pf-actions">
                  <button className="pf-btn" data-testid="pf-insert-replace" disabled={busy} onClick={() => insert('replace')}>
                    Replace it
                  </button>
                  <button className="pf-btn secondary" data-testid="pf-insert-append" disabled={busy} onClick={() => insert('append')}>
                    Add below it
                  </button>
                  <button className="pf-btn secondary" onClick={() => setStep('compose')}>
                    Cancel
                  </button>
                </div>
              </div>
            ) : step === 'scheduling' ? (
              <SchedulePicker
                busy={busy}
                label="Schedule on LinkedIn"
                onPick={schedule}
                onQueue={queue}
                queueRefresh={queueRefusals}
                onCancel={() => setStep('compose')}
              />
            ) : (
              <>
                {text && (
                  <div className="pf-actions">
                    <button className="pf-btn" data-testid="pf-insert" disabled={!!insertReason || busy || !draft} onClick={() => insert()}>
                      Insert
                    </button>
                    <button className="pf-btn secondary" data-testid="pf-copy" onClick={copy}>
                      Copy
                    </button>
                    {draft && (
                      <button className="pf-btn secondary" data-testid="pf-schedule" onClick={() => setStep('scheduling')}>
                        Schedule…
                      </button>
                    )}
                    <Reason id="pf-insert-reason" text={draft ? insertReason : null} />
                  </div>
                )}
                {!hasComposer && (
                  <div className="pf-actions">
                    <button className="pf-btn small secondary" data-testid="pf-open-composer" onClick={openComposer}>
                      Open LinkedIn’s composer
                    </button>
                  </div>
                )}
                <div className="pf-actions">
                  <button className="pf-btn" data-testid="pf-generate" onClick={write} disabled={!!writeReason}>
                    {draft ? 'Write another (1 credit)' : 'Write draft (1 credit)'}
                  </button>
                  <Reason id="pf-generate-reason" text={writeReason} />
                </div>
              </>
            )}
          </footer>
        </>
      )}
    </aside>
  );
}
