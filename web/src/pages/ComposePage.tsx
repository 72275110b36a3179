// Compose: topic, tone, language, targets and time → a draft streamed as it is written → schedule.
// Or skip the preview: the post's workflow writes it and holds it as a draft for approval.
import { DateTime } from 'luxon';
import { useState } from 'react';
import type { PageProps } from '../App';
import { api, streamDraft, type Target } from '../api';
import { fromInput } from '../time';

const TONES = ['professional', 'friendly', 'bold', 'witty', 'informative', 'inspiring'];
const LANGUAGES = [
  ['en', 'English'],
  ['de', 'Deutsch'],
  ['fr', 'Français'],
  ['es', 'Español'],
  ['pt', 'Português'],
  ['it', 'Italiano'],
  ['nl', 'Nederlands'],
];

export function ComposePage({ me, changed, openPost }: PageProps) {
  const zone = me.timeZone;
  const [topic, setTopic] = useState('');
  const [tone, setTone] = useState('professional');
  const [language, setLanguage] = useState('en');
  const [linkedin, setLinkedin] = useState(true);
  const [slack, setSlack] = useState('');
  const [discord, setDiscord] = useState('');
  const [webhook, setWebhook] = useState('');
  const [when, setWhen] = useState(() => DateTime.now().setZone(zone).plus({ days: 1 }).set({ hour: 9, minute: 0 }).toFormat("yyyy-LL-dd'T'HH:mm"));
  const [draft, setDraft] = useState<{ id?: string; text: string; hashtags: string; done: boolean } | undefined>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>();

  const targets = (): Target[] => [
    ...(linkedin ? [{ kind: 'linkedin' as const }] : []),
    ...(slack.trim() ? [{ kind: 'slack' as const, channel: slack.trim() }] : []),
    ...(discord.trim() ? [{ kind: 'discord' as const, channelId: discord.trim() }] : []),
    ...(webhook.trim() ? [{ kind: 'webhook' as const, url: webhook.trim() }] : []),
  ];
  const firstTarget = () => targets()[0]?.kind ?? 'linkedin';

  const write = async () => {
    setBusy(true);
    setMessage(undefined);
    setDraft({ text: '', hashtags: '', done: false });
    try {
      await streamDraft({ topic, tone, language, target: firstTarget() }, (e) => {
        if (e.type === 'charged') setDraft((d) => ({ ...(d ?? { text: '', hashtags: '', done: false }), id: e.draftId }));
        else if (e.type === 'delta') setDraft((d) => d && { ...d, text: d.text + e.text });
        else if (e.type === 'done') setDraft((d) => d && { ...d, text: e.content, hashtags: e.hashtags.join(' '), done: true });
        else if (e.type === 'error') setMessage({ kind: 'error', text: `${e.message} Your credit was refunded.` });
      });
      changed();
    } catch (e) {
      setMessage({ kind: 'error', text: (e as Error).message });
      setDraft(undefined);
    } finally {
      setBusy(false);
    }
  };

  const schedule = async (withDraft: boolean) => {
    const scheduledAt = fromInput(when, zone);
    setBusy(true);
    setMessage(undefined);
    try {
      const base = { tone, language, targets: targets(), timeZone: zone, ...(scheduledAt ? { scheduledAt } : {}) };
      const body =
        withDraft && draft
          ? {
              ...base,
              text: draft.text,
              hashtags: draft.hashtags
                .split(/[\s,]+/)
                .filter(Boolean)
                .map((h) => h.replace(/^#/, '')),
              ...(draft.id ? { draftId: draft.id } : {}),
            }
          : { ...base, topic, requireApproval: true };
      const out = await api.create(body);
      setMessage({ kind: 'ok', text: withDraft ? 'Scheduled.' : 'Started: PostForge writes it and keeps it as a draft for your approval.' });
      setDraft(undefined);
      changed();
      openPost(out.id);
    } catch (e) {
      setMessage({ kind: 'error', text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="compose">
      <h1>Compose</h1>
      <label>
        Topic
        <input value={topic} onChange={(e) => setTopic(e.target.value)} placeholder="Why we moved our scheduler to Temporal" data-testid="compose-topic" />
      </label>
      <div className="row">
        <label>
          Tone
          <select value={tone} onChange={(e) => setTone(e.target.value)}>
            {TONES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Language
          <select value={language} onChange={(e) => setLanguage(e.target.value)}>
            {LANGUAGES.map(([v, n]) => (
              <option key={v} value={v}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Publish at ({zone})
          <input type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} data-testid="compose-when" />
        </label>
      </div>
      <fieldset>
        <legend>Targets</legend>
        <label className="inline">
          <input type="checkbox" checked={linkedin} onChange={(e) => setLinkedin(e.target.checked)} data-testid="compose-linkedin" /> LinkedIn
        </label>
        <label>
          Slack channel id <input value={slack} onChange={(e) => setSlack(e.target.value)} placeholder="C0123456789" />
        </label>
        <label>
          Discord channel id <input value={discord} onChange={(e) => setDiscord(e.target.value)} placeholder="123456789012345678" />
        </label>
        <label>
          Webhook URL{' '}
          <input value={webhook} onChange={(e) => setWebhook(e.target.value)} placeholder="https://example.com/hook" data-testid="compose-webhook" />
        </label>
      </fieldset>
      <div className="actions">
        <button disabled={busy || topic.trim().length < 3} onClick={() => void write()} data-testid="compose-write">
          Write draft (1 credit)
        </button>
        <button disabled={busy || topic.trim().length < 3} onClick={() => void schedule(false)} data-testid="compose-later">
          Write it later, hold for approval
        </button>
      </div>
      {draft && (
        <div className="draft" data-testid="compose-draft">
          <label>
            Draft{draft.done ? '' : ' (writing…)'}
            <textarea rows={8} value={draft.text} onChange={(e) => setDraft({ ...draft, text: e.target.value })} data-testid="compose-text" />
          </label>
          <label>
            Hashtags
            <input value={draft.hashtags} onChange={(e) => setDraft({ ...draft, hashtags: e.target.value })} />
          </label>
          <button disabled={busy || !draft.done || !draft.text.trim()} onClick={() => void schedule(true)} data-testid="compose-schedule">
            Schedule
          </button>
        </div>
      )}
      {message && (
        <p className={message.kind === 'error' ? 'error' : 'ok'} role="status" data-testid="compose-message">
          {message.text}
        </p>
      )}
    </section>
  );
}
