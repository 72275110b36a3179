// Starts Stripe Checkout and opens it in a tab: the panel lives in LinkedIn's page and must not
// navigate it away from a half-written post.
import { apiHandler } from '~lib/handler';

export default apiHandler(async (api, body: { pack?: string }) => {
  let pack = body?.pack;
  if (!pack) {
    const { packs } = await api.packs();
    pack = (packs.find((p) => p.id === 'popular') ?? packs[0])?.id;
    if (!pack) throw new Error('no packs for sale');
  }
  const { url } = await api.checkout(pack);
  await chrome.tabs.create({ url });
  return { url };
});
