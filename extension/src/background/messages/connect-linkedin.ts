// LinkedIn's consent screen opens in its own tab; the API's callback page says when it is done.
import { apiHandler } from '~lib/handler';

export default apiHandler(async (api) => {
  const { url } = await api.linkedInStart();
  await chrome.tabs.create({ url });
  return { url };
});
