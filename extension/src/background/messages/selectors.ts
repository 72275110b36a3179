// The API's current LinkedIn selector table, so selector drift is fixed on the server instead of
// by a new extension release. Cached for a few hours; on any failure the content script simply
// keeps its built-in defaults.
import type { PlasmoMessaging } from '@plasmohq/messaging';
import { Storage } from '@plasmohq/storage';
import { readSettings } from '~lib/settings';
import type { Result } from '~lib/types';

const storage = new Storage({ area: 'local' });
const FRESH_MS = 6 * 3600_000;

const handler: PlasmoMessaging.MessageHandler<unknown, Result<unknown>> = async (_req, res) => {
  const cached = await storage.get<{ at: number; table: unknown; apiUrl: string }>('selectorsCache');
  const { apiUrl } = await readSettings();
  if (cached && cached.apiUrl === apiUrl && Date.now() - cached.at < FRESH_MS) return res.send({ ok: true, data: cached.table });
  try {
    const r = await fetch(`${(apiUrl ?? '').replace(/\/+$/, '')}/v1/extension/selectors`, { signal: AbortSignal.timeout(5000) });
    if (!r.ok) throw new Error(String(r.status));
    const table = (await r.json()) as unknown;
    await storage.set('selectorsCache', { at: Date.now(), table, apiUrl });
    res.send({ ok: true, data: table });
  } catch {
    // Stale beats nothing; nothing means the built-in defaults.
    res.send(cached ? { ok: true, data: cached.table } : { ok: false, error: { kind: 'unreachable', message: 'selectors unavailable' } });
  }
};

export default handler;
