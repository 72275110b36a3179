// Where the API URL and key live: extension-local storage, read by the service worker only.
// `local`, not Plasmo's default `sync`, so the key is not copied to the person's other browsers.
import { Storage } from '@plasmohq/storage';
import { NotConfigured } from './problems';
import type { ApiSettings } from './api';

export const DEFAULT_API_URL = 'http://localhost:3000';

const storage = new Storage({ area: 'local' });

export async function readSettings(): Promise<Partial<ApiSettings>> {
  const [apiUrl, apiKey] = await Promise.all([storage.get<string>('apiUrl'), storage.get<string>('apiKey')]);
  return { apiUrl: apiUrl || DEFAULT_API_URL, ...(apiKey ? { apiKey } : {}) };
}

export async function requireSettings(): Promise<ApiSettings> {
  const s = await readSettings();
  if (!s.apiKey || !s.apiUrl) throw new NotConfigured();
  return { apiUrl: s.apiUrl, apiKey: s.apiKey };
}

export async function writeSettings(s: ApiSettings): Promise<void> {
  await Promise.all([storage.set('apiUrl', s.apiUrl), storage.set('apiKey', s.apiKey)]);
}

/** A different server: the old key belongs to the old one, so it goes. */
export async function writeApiUrl(apiUrl: string): Promise<void> {
  const { apiUrl: current } = await readSettings();
  await storage.set('apiUrl', apiUrl);
  if (current !== apiUrl) await storage.remove('apiKey');
}

export async function forgetKey(): Promise<void> {
  await storage.remove('apiKey');
}

/** The page the API's sign-in sends the session token to (in the URL fragment). */
export const SIGNED_IN_PAGE = 'tabs/signed-in.html';

/** Content scripts may read `chrome.storage.local` unless told otherwise; the key stays out of them. */
export function restrictStorageToExtensionPages(): void {
  chrome.storage.local.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' }).catch(() => undefined);
}
