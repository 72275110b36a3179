// "Sign in with LinkedIn": LinkedIn's consent opens in a tab through our API
// (/v1/auth/linkedin/start), which comes back to tabs/signed-in.html with a session token.
// A tab rather than chrome.identity.launchWebAuthFlow: it works the same in every Chromium and can
// be driven by the browser tests.
import type { PlasmoMessaging } from '@plasmohq/messaging';
import { readSettings, SIGNED_IN_PAGE } from '~lib/settings';
import type { Result } from '~lib/types';

const handler: PlasmoMessaging.MessageHandler<unknown, Result<{ signedIn: boolean }>> = async (_req, res) => {
  const { apiUrl } = await readSettings();
  const start = new URL('/v1/auth/linkedin/start', apiUrl);
  start.searchParams.set('redirect', chrome.runtime.getURL(SIGNED_IN_PAGE));
  await chrome.tabs.create({ url: start.toString() });
  res.send({ ok: true, data: { signedIn: false } });
};

export default handler;
