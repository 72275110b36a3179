// Placeholder until LinkedIn sign-in lands: send the person to the options page.
import type { PlasmoMessaging } from '@plasmohq/messaging';
import type { Result } from '~lib/types';

const handler: PlasmoMessaging.MessageHandler<unknown, Result<{ signedIn: boolean }>> = async (_req, res) => {
  await chrome.runtime.openOptionsPage();
  res.send({ ok: true, data: { signedIn: false } });
};

export default handler;
