// /healthz: can we reach Temporal and MongoDB right now?
import { Router } from 'express';
import type { ServiceContext } from '../../services/context';

async function check(fn: () => Promise<unknown>): Promise<{ ok: boolean; ms: number; error?: string }> {
  const started = Date.now();
  try {
    await Promise.race([fn(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 3s')), 3000))]);
    return { ok: true, ms: Date.now() - started };
  } catch (err) {
    return { ok: false, ms: Date.now() - started, error: (err as Error).message };
  }
}

export function healthRouter(ctx: ServiceContext): Router {
  const r = Router();
  r.get('/healthz', async (_req, res) => {
    const [temporal, mongodb] = await Promise.all([check(() => ctx.temporal.workflowService.getSystemInfo({})), check(() => ctx.db.db.command({ ping: 1 }))]);
    const ok = temporal.ok && mongodb.ok;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', temporal, mongodb });
  });
  return r;
}
