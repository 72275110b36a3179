// The options page sees the URL and the key's last characters, enough to recognise it.
import type { PlasmoMessaging } from '@plasmohq/messaging';
import { readSettings } from '~lib/settings';
import type { Result } from '~lib/types';

const handler: PlasmoMessaging.MessageHandler<unknown, Result<{ apiUrl: string; hasKey: boolean; keyHint?: string }>> = async (_req, res) => {
  const s = await readSettings();
  res.send({ ok: true, data: { apiUrl: s.apiUrl ?? '', hasKey: !!s.apiKey, ...(s.apiKey ? { keyHint: `…${s.apiKey.slice(-4)}` } : {}) } });
};

export default handler;
