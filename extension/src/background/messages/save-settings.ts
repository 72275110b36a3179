// Settings are stored only once GET /v1/me accepts them, so a typo never replaces a working key.
import type { PlasmoMessaging } from '@plasmohq/messaging';
import { createApi } from '~lib/api';
import { toProblem } from '~lib/problems';
import { writeSettings } from '~lib/settings';
import type { Me, Result } from '~lib/types';

const handler: PlasmoMessaging.MessageHandler<{ apiUrl: string; apiKey: string }, Result<Me>> = async (req, res) => {
  const apiUrl = (req.body?.apiUrl ?? '').trim().replace(/\/+$/, '');
  const apiKey = (req.body?.apiKey ?? '').trim();
  if (!/^https?:\/\/[^\s/]+/.test(apiUrl)) {
    return res.send({ ok: false, error: { kind: 'invalid', message: 'The API URL should look like https://api.example.com or http://localhost:3000.' } });
  }
  if (!apiKey) return res.send({ ok: false, error: { kind: 'invalid', message: 'Paste your API key (it starts with pf_).' } });
  try {
    const me = await createApi({ apiUrl, apiKey }).me();
    await writeSettings({ apiUrl, apiKey });
    res.send({ ok: true, data: me });
  } catch (err) {
    res.send({ ok: false, error: toProblem(err, apiUrl) });
  }
};

export default handler;
