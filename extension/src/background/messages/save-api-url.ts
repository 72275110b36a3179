// Advanced: a self-hosted PostForge. Only the URL; signing in (or a key) comes after.
import type { PlasmoMessaging } from '@plasmohq/messaging';
import { writeApiUrl } from '~lib/settings';
import type { Result } from '~lib/types';

const handler: PlasmoMessaging.MessageHandler<{ apiUrl: string }, Result<{ apiUrl: string }>> = async (req, res) => {
  const apiUrl = (req.body?.apiUrl ?? '').trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+$/.test(apiUrl)) {
    return res.send({ ok: false, error: { kind: 'invalid', message: 'The API URL should look like https://api.example.com or http://localhost:3000.' } });
  }
  await writeApiUrl(apiUrl);
  res.send({ ok: true, data: { apiUrl } });
};

export default handler;
