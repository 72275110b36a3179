// Writing a draft from the toolbar popup, for when LinkedIn's page is not at hand or its post box
// cannot be found: the draft streams in, then Copy it or open LinkedIn's composer to paste it.
import { useCallback, useState } from 'react';
import { copyText } from '~lib/copy';
import { draftText } from '~lib/insert';
import { COMPOSE_URL, defaultLanguage, LANGUAGES } from '~lib/linkedin';
import { TONES, type Tone } from '~lib/types';
import { useGenerate } from '~lib/useGenerate';
import { DraftView } from './DraftView';
import { ErrorNote } from './ErrorNote';

export function QuickDraft({ onCharged }: { onCharged: (credits: number) => void }) {
  const [topic, setTopic] = useState('');
  const [tone, setTone] = useState<Tone>('professional');
  const [language, setLanguage] = useState(defaultLanguage());
  const [copied, setCopied] = useState<boolean | null>(null);
  const { state, start, stop } = useGenerate(useCallback((c: number) => onCharged(c), [onCharged]));
  const streaming = state.phase === 'streaming';
  const text = state.phase === 'done' ? draftText(state.draft) : 'text' in state ? state.text : '';
  const reason = topic.trim().length < 3 ? 'Write a topic first (3+ characters).' : null;
  return (
    <div className="pf-section" data-testid="pf-quick">
      <h2>Write a draft</h2>
      <input data-testid="pf-quick-topic" placeholder="What should the post be about?" value={topic} onChange={(e) => setTopic(e.target.value)} />
      <div className="pf-row" style={{ marginTop: 6 }}>
        <select aria-label="Tone" value={tone} onChange={(e) => setTone(e.target.value as Tone)}>
          {TONES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <select aria-label="Language" value={language} onChange={(e) => setLanguage(e.target.value)}>
          {LANGUAGES.map((l) => (
            <option key={l.code} value={l.code}>
              {l.name}
            </option>
          ))}
        </select>
      </div>
      <div className="pf-actions">
        {streaming ? (
          <button className="pf-btn danger" onClick={stop} data-testid="pf-quick-stop">
            ■ Stop
          </button>
        ) : (
          <button
            className="pf-btn"
            data-testid="pf-quick-generate"
            disabled={!!reason}
            onClick={() => (setCopied(null), start({ topic: topic.trim(), tone, language }))}
          >
            Write draft (1 credit)
          </button>
        )}
        {reason && !streaming && <span className="pf-reason">{reason}</span>}
      </div>
      {text && <DraftView text={text} streaming={streaming} />}
      {state.phase === 'failed' && <ErrorNote problem={state.error} />}
      <div className="pf-actions">
        {state.phase === 'done' && (
          <button className="pf-btn secondary" data-testid="pf-quick-copy" onClick={() => void copyText(text).then(setCopied)}>
            Copy
          </button>
        )}
        <button className="pf-btn secondary" data-testid="pf-open-composer" onClick={() => void chrome.tabs.create({ url: COMPOSE_URL })}>
          Open LinkedIn’s composer
        </button>
      </div>
      {copied !== null && (
        <div className={copied ? 'pf-note' : 'pf-error'} role="status" data-testid="pf-quick-copied">
          {copied ? 'Copied. Paste it into LinkedIn’s post box.' : 'The browser did not allow copying; select the text and copy it by hand.'}
        </div>
      )}
    </div>
  );
}
