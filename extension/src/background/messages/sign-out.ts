// Signing out revokes the session on the server (so a copied token stops working), then forgets it.
import type { PlasmoMessaging } from '@plasmohq/messaging';
import { forgetKey, readSettings } from '~lib/settings';
import type { Result } from '~lib/types';

const handler: PlasmoMessaging.MessageHandler<unknown, Result<null>> = async (_req, res) => {
  const { apiUrl, apiKey } = await readSettings();
  if (apiUrl && apiKey) {
    await fetch(new URL('/v1/auth/session', apiUrl), {
      method: 'DELETE',
      headers: { authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
  }
  await forgetKey();
  res.send({ ok: true, data: null });
};

export default handler;
