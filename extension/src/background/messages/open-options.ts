// Content scripts cannot open the options page themselves.
import type { PlasmoMessaging } from '@plasmohq/messaging';

const handler: PlasmoMessaging.MessageHandler<unknown, { ok: true; data: null }> = async (_req, res) => {
  await chrome.runtime.openOptionsPage();
  res.send({ ok: true, data: null });
};

export default handler;
