// Which Slack workspace an account is, and the one bot token that may act in it. A Slack account is
// `slack:<team id>`; its token is its own installation's, or — for a self-hoster's single workspace —
// SLACK_BOT_TOKEN, but only for the workspace that token belongs to (asked of Slack with auth.test),
// so no other account can ever publish through it.
import type { Installation } from '@slack/bolt';
import type { Config } from './config';
import { encryptionKey, unseal, type Sealed } from './crypto';
import type { Database } from './db';

export const SLACK_INSTALLATIONS = 'slack_installations';

export interface SlackInstallationDoc {
  /** `slack:<team id>` (or `slack:<enterprise id>` for an org-wide install): the account. */
  _id: string;
  teamId: string;
  teamName?: string;
  enterpriseId?: string;
  botUserId?: string;
  botId?: string;
  scopes: string[];
  installedBy?: string;
  /** The Installation as Bolt gave it (bot and user tokens inside), sealed. */
  installation: Sealed;
  installedAt: Date;
  updatedAt: Date;
}

export const slackAccountId = (teamId: string): string => `slack:${teamId}`;
export const slackMemberId = (teamId: string, userId: string): string => `slack:${teamId}:${userId}`;

const collection = (db: Database) => db.db.collection<SlackInstallationDoc>(SLACK_INSTALLATIONS);

/** A Slack Web API call with a bot token; Slack's own `{ ok, error }` answer, or a thrown error when it did not answer. */
export async function slackCall(
  config: Pick<Config, 'SLACK_API_URL'>,
  token: string,
  method: string,
  args: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const res = await fetch(new URL(method, config.SLACK_API_URL.replace(/\/?$/, '/')), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(args),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`Slack answered ${res.status} to ${method}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Team of each SLACK_BOT_TOKEN seen; a token's workspace never changes. */
const tokenTeams = new Map<string, string>();

/** The workspace SLACK_BOT_TOKEN is installed in; throws when Slack cannot be asked right now. */
async function singleWorkspaceTeam(config: Pick<Config, 'SLACK_API_URL'>, token: string): Promise<string | undefined> {
  const known = tokenTeams.get(token);
  if (known) return known;
  const answer = await slackCall(config, token, 'auth.test');
  if (answer.ok !== true) {
    if (answer.error === 'ratelimited' || answer.error === 'service_unavailable' || answer.error === 'internal_error')
      throw new Error(`Slack auth.test failed: ${String(answer.error)}`);
    return undefined;
  }
  const team = typeof answer.team_id === 'string' ? answer.team_id : undefined;
  if (team) tokenTeams.set(token, team);
  return team;
}

/**
 * The bot token that acts in this account's workspace: its installation's, else SLACK_BOT_TOKEN if
 * (and only if) that token is this very workspace's. Undefined for any other account.
 */
export async function slackBotToken(db: Database, config: Config, accountId: string): Promise<string | undefined> {
  if (!accountId.startsWith('slack:')) return undefined;
  const doc = await collection(db).findOne({ _id: accountId });
  if (doc) {
    const installation = JSON.parse(unseal(doc.installation, encryptionKey(config.ENCRYPTION_KEY))) as Installation;
    if (installation.bot?.token) return installation.bot.token;
  }
  if (!config.SLACK_BOT_TOKEN) return undefined;
  const team = await singleWorkspaceTeam(config, config.SLACK_BOT_TOKEN);
  return team && slackAccountId(team) === accountId ? config.SLACK_BOT_TOKEN : undefined;
}

/** The Slack user who installed PostForge in this workspace (an admin of it for PostForge), if known. */
export async function slackInstaller(db: Database, accountId: string): Promise<string | undefined> {
  const doc = await collection(db).findOne({ _id: accountId });
  return doc?.installedBy || undefined;
}
