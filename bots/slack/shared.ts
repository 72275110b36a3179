// What every Slack handler needs: who is asking (workspace = account, member = user), their time
// zone, and one way to turn a failure into words for them.
import type { webApi } from '@slack/bolt';
import { ensureAccount } from '../../services/accounts';
import type { ServiceContext } from '../../services/context';
import { UserError } from '../../services/errors';
import type { Actor, Author } from '../../services/posts';
import { slackAccountId, slackInstaller, slackMemberId } from './installationStore';

/** The Web API client Bolt hands to listeners (Bolt's own @slack/web-api). */
export type BoltClient = webApi.WebClient;

export interface SlackDeps {
  ctx: ServiceContext;
  log: (msg: string) => void;
}

export interface Who {
  teamId: string;
  userId: string;
  accountId: string;
  memberId: string;
}

export const who = (teamId: string, userId: string): Who => ({ teamId, userId, accountId: slackAccountId(teamId), memberId: slackMemberId(teamId, userId) });

export const authorOf = (w: Who): Author => ({ accountId: w.accountId, memberId: w.memberId, source: 'slack' });

/** The workspace's account, created with its welcome credits the first time anyone uses PostForge. */
export async function ensureWorkspace(ctx: ServiceContext, w: Who, name?: string): Promise<void> {
  await ensureAccount(ctx.db, { _id: w.accountId, kind: 'slack', name: name ?? w.teamId }, ctx.config.FREE_CREDITS);
}

/**
 * The member as someone acting on posts. A workspace admin or owner (users.info, asked each time so a
 * demotion counts at once) or the member who installed PostForge may change anyone's post; if Slack
 * cannot say, the member is treated as not an admin, which still lets them change their own posts.
 */
export async function slackActor(ctx: ServiceContext, client: BoltClient, w: Who): Promise<Actor> {
  const [installer, user] = await Promise.all([
    slackInstaller(ctx.db, w.accountId).catch(() => undefined),
    client.users.info({ user: w.userId }).then(
      (r) => r.user,
      () => undefined,
    ),
  ]);
  const isAdmin = installer === w.userId || user?.is_admin === true || user?.is_owner === true || user?.is_primary_owner === true;
  return { accountId: w.accountId, memberId: w.memberId, isAdmin };
}

const zones = new Map<string, { tz: string; at: number }>();
const ZONE_TTL_MS = 10 * 60_000;

/** The member's Slack time zone (users.info), cached briefly; UTC when Slack will not say. */
export async function userTimeZone(client: BoltClient, teamId: string, userId: string): Promise<string> {
  const key = `${teamId}:${userId}`;
  const hit = zones.get(key);
  if (hit && Date.now() - hit.at < ZONE_TTL_MS) return hit.tz;
  try {
    const res = await client.users.info({ user: userId });
    const tz = res.user?.tz ?? 'UTC';
    zones.set(key, { tz, at: Date.now() });
    return tz;
  } catch {
    return 'UTC';
  }
}

/** A UserError's message is for the user as it is; anything else is ours and gets a generic answer. */
export function messageFor(err: unknown, deps: SlackDeps, what: string): string {
  if (err instanceof UserError) return err.message;
  deps.log(`${what} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return `Something went wrong on PostForge's side while trying to ${what}; please try again in a minute.`;
}

/** The `error` string of a Slack Web API platform error, if it is one. */
export function slackErrorCode(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

export const exampleLine = (example: string): string => `\nFor example: \`${example}\``;

/** Slack's id of one invocation of a command: the same delivery retried has the same one. */
export const slackInvocationId = (command: { team_id: string; trigger_id: string }): string => `${command.team_id}:${command.trigger_id}`;
