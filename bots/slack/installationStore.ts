// Bolt's installation store over the Slack installations in MongoDB (core/slackInstallations.ts), one
// per workspace, the whole Installation sealed at rest. In single-workspace mode (SLACK_BOT_TOKEN)
// a workspace with no stored installation uses that token, so self-hosters need no OAuth app.
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Config } from '../../core/config';
import { encryptionKey, seal, unseal } from '../../core/crypto';
import type { Database } from '../../core/db';
import { SLACK_INSTALLATIONS, slackAccountId, type SlackInstallationDoc } from '../../core/slackInstallations';

export { SLACK_INSTALLATIONS, slackAccountId, slackBotToken, slackInstaller, slackMemberId, type SlackInstallationDoc } from '../../core/slackInstallations';

const collection = (db: Database) => db.db.collection<SlackInstallationDoc>(SLACK_INSTALLATIONS);

function workspaceOf(q: { teamId?: string | undefined; enterpriseId?: string | undefined; isEnterpriseInstall?: boolean | undefined }): string {
  const id = q.isEnterpriseInstall ? q.enterpriseId : (q.teamId ?? q.enterpriseId);
  if (!id) throw new Error('A Slack installation needs a team or enterprise id.');
  return id;
}

/**
 * How long a store answers a workspace's installation from memory. Bolt authorizes every request
 * with it before the listener runs, so reading and unsealing it each time put a database round
 * trip in front of every ack; a new install or an uninstall through this store is seen at once,
 * one through another process within this long.
 */
export const INSTALLATION_CACHE_MS = 10_000;

export function createInstallationStore(db: Database, config: Config, opts: { now?: () => number } = {}): InstallationStore {
  const key = encryptionKey(config.ENCRYPTION_KEY);
  const clock = opts.now ?? Date.now;
  const cached = new Map<string, { until: number; installation: Installation }>();
  return {
    async storeInstallation(installation: Installation): Promise<void> {
      const teamId = workspaceOf({
        teamId: installation.team?.id,
        enterpriseId: installation.enterprise?.id,
        isEnterpriseInstall: installation.isEnterpriseInstall,
      });
      const now = new Date();
      const doc: Omit<SlackInstallationDoc, 'installedAt'> = {
        _id: slackAccountId(teamId),
        teamId,
        ...(installation.team?.name ? { teamName: installation.team.name } : {}),
        ...(installation.enterprise?.id ? { enterpriseId: installation.enterprise.id } : {}),
        ...(installation.bot?.userId ? { botUserId: installation.bot.userId } : {}),
        ...(installation.bot?.id ? { botId: installation.bot.id } : {}),
        scopes: installation.bot?.scopes ?? [],
        ...(installation.user?.id ? { installedBy: installation.user.id } : {}),
        installation: seal(JSON.stringify(installation), key),
        updatedAt: now,
      };
      // A reinstall (new scopes, new token) replaces the old one but keeps when it first came.
      cached.delete(teamId);
      await collection(db).updateOne({ _id: doc._id }, { $set: doc, $setOnInsert: { installedAt: now } }, { upsert: true });
    },

    async fetchInstallation(q: InstallationQuery<boolean>): Promise<Installation> {
      const teamId = workspaceOf(q);
      const hit = cached.get(teamId);
      if (hit && hit.until > clock()) return hit.installation;
      const doc = await collection(db).findOne({ _id: slackAccountId(teamId) });
      let installation: Installation;
      if (doc) installation = JSON.parse(unseal(doc.installation, key)) as Installation;
      else if (config.SLACK_BOT_TOKEN) installation = singleWorkspaceInstallation(teamId, config.SLACK_BOT_TOKEN);
      // Not cached: an install that completes now must work on the next request.
      else throw new Error(`PostForge is not installed in Slack workspace ${teamId}: install it at /slack/install.`);
      cached.set(teamId, { until: clock() + INSTALLATION_CACHE_MS, installation });
      return installation;
    },

    async deleteInstallation(q: InstallationQuery<boolean>): Promise<void> {
      cached.delete(workspaceOf(q));
      await collection(db).deleteOne({ _id: slackAccountId(workspaceOf(q)) });
    },
  };
}

function singleWorkspaceInstallation(teamId: string, botToken: string): Installation {
  return {
    team: { id: teamId },
    enterprise: undefined,
    user: { token: undefined, scopes: undefined, id: '' },
    bot: { token: botToken, scopes: [], id: '', userId: '' },
    isEnterpriseInstall: false,
    authVersion: 'v2',
  } as Installation;
}
