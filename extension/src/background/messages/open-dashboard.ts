// Opens the web dashboard signed in: a one-time link made with the saved API key (which never
// leaves the service worker), opened in a new tab — on one of its pages when asked (the schedule
// picker sends people to "schedule" to set their posting times).
import { apiHandler } from '~lib/handler';
import { browserTimeZone } from '~lib/time';

const PAGES = new Set(['schedule', 'series', 'calendar', 'posts', 'credits']);

export default apiHandler(async (api, body: { page?: string } | undefined) => {
  const { url } = await api.dashboardLink(browserTimeZone());
  const page = body?.page && PAGES.has(body.page) ? body.page : undefined;
  const target = page ? `${url}${url.includes('?') ? '&' : '?'}next=${page}` : url;
  await chrome.tabs.create({ url: target });
  return { url: target };
});
