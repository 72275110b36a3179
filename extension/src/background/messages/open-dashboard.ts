// Opens the web dashboard signed in: a one-time link made with the saved API key (which never
// leaves the service worker), opened in a new tab.
import { apiHandler } from '~lib/handler';
import { browserTimeZone } from '~lib/time';

export default apiHandler(async (api) => {
  const { url } = await api.dashboardLink(browserTimeZone());
  await chrome.tabs.create({ url });
  return { url };
});
