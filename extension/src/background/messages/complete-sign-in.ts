// The signed-in page hands over the session token; it is kept only once the API accepts it.
import type { PlasmoMessaging } from '@plasmohq/messaging';
import { createApi } from '~lib/api';
import { toProblem } from '~lib/problems';
import { readSettings, writeSettings } from '~lib/settings';
import type { Me, Result } from '~lib/types';

const handler: PlasmoMessaging.MessageHandler<{ token: string }, Result<Me>> = async (req, res) => {
  const token = (req.body?.token ?? '').trim();
  const { apiUrl = '' } = await readSettings();
  if (!/^pf_[\w-]{10,200}$/.test(token))
    return res.send({ ok: false, error: { kind: 'invalid', message: 'The sign-in link was incomplete. Sign in again from the extension.' } });
  try {
    const me = await createApi({ apiUrl, apiKey: token }).me();
    await writeSettings({ apiUrl, apiKey: token });
    res.send({ ok: true, data: me });
  } catch (err) {
    res.send({ ok: false, error: toProblem(err, apiUrl) });
  }
};

export default handler;
