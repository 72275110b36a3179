// Managing an account's webhook signing secret: create (shown once), rotate (the new one shown once,
// the old one still signing for WEBHOOK_SECRET_GRACE), and what is in use (never the secret itself).
// The secret is the account's, so in a Slack workspace or Discord server only an admin may make or
// rotate it; a person's account has only its owner.
import { createWebhookSecret, rotateWebhookSecret, webhookSecretStatus, type WebhookSecretInfo } from '../core/webhookSecrets';
import type { ServiceContext } from './context';
import { UserError } from './errors';
import type { Actor } from './posts';

function assertMayManage(actor: Actor): void {
  if (!actor.isAdmin && !actor.accountId.startsWith('person:')) {
    throw new UserError(
      "Only an admin of this workspace can create or rotate its webhook signing secret (every receiver of the workspace's deliveries uses it). Ask an admin for an admin API key.",
      403,
    );
  }
}

const present = (i: WebhookSecretInfo) => ({
  fingerprint: i.fingerprint,
  createdAt: i.createdAt.toISOString(),
  ...(i.validUntil ? { validUntil: i.validUntil.toISOString() } : {}),
});

export async function createSecret(ctx: ServiceContext, actor: Actor) {
  assertMayManage(actor);
  const out = await createWebhookSecret(ctx.db, ctx.config, actor.accountId);
  if (!out.created) {
    throw new UserError(
      'This account already has a webhook signing secret, and it is shown only once. Rotate it with POST /v1/webhook-secret/rotate to get a new one.',
      409,
    );
  }
  return { secret: out.secret, ...present(out.info) };
}

export async function rotateSecret(ctx: ServiceContext, actor: Actor) {
  assertMayManage(actor);
  const out = await rotateWebhookSecret(ctx.db, ctx.config, actor.accountId);
  if (!out.ok) throw new UserError('Another rotation of this secret happened at the same moment. Try again.', 409);
  return { secret: out.secret, ...present(out.info), ...(out.previous ? { previous: present(out.previous) } : {}) };
}

export async function secretStatus(ctx: ServiceContext, accountId: string) {
  const s = await webhookSecretStatus(ctx.db, ctx.config, accountId);
  return {
    configured: Boolean(s.current),
    ...(s.current ? { current: present(s.current) } : {}),
    previous: s.previous.map(present),
    graceSeconds: Math.round(ctx.config.WEBHOOK_SECRET_GRACE / 1000),
  };
}
