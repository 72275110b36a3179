// /v1/webhook-secret: the account's own secret for signing webhook deliveries (README: "Webhooks").
import { Router } from 'express';
import type { ServiceContext } from '../../services/context';
import { createSecret, rotateSecret, secretStatus } from '../../services/webhookSecrets';
import { caller } from '../auth';

export function webhookSecretRouter(ctx: ServiceContext): Router {
  const r = Router();
  r.get('/webhook-secret', async (_req, res) => {
    res.json(await secretStatus(ctx, caller(res).accountId));
  });
  r.post('/webhook-secret', async (_req, res) => {
    res
      .status(201)
      .set('cache-control', 'no-store')
      .json(await createSecret(ctx, caller(res)));
  });
  r.post('/webhook-secret/rotate', async (_req, res) => {
    res.set('cache-control', 'no-store').json(await rotateSecret(ctx, caller(res)));
  });
  return r;
}
