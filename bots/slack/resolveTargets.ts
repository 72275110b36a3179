// The targets a Slack command names, checked before anything is charged: a channel must exist,
// not be archived and have the bot in it, or publishing would fail hours later.
import type { Target } from '../../core/domain';
import type { TargetSpec } from './commands';
import { slackErrorCode, type BoltClient } from './shared';

/** Channels must exist and have the bot in them, or publishing would fail hours later. */
export async function resolveTargets(client: BoltClient, specs: TargetSpec[]): Promise<{ ok: true; targets: Target[] } | { ok: false; error: string }> {
  const targets: Target[] = [];
  for (const t of specs) {
    if (t.kind !== 'slack') {
      targets.push(t);
      continue;
    }
    const label = t.name ? `#${t.name}` : `<#${t.channel}>`;
    let info: { id?: string; is_member?: boolean; is_archived?: boolean } | undefined;
    try {
      info = (await client.conversations.info({ channel: t.channel })).channel;
    } catch (err) {
      const code = slackErrorCode(err);
      if (code !== 'channel_not_found') throw err;
    }
    if (!info?.id) {
      return {
        ok: false,
        error: `I can't find the channel ${label}. Pick it with # autocomplete (to:#general), or use its ID (to:C0123456789). For a private channel, invite me first.`,
      };
    }
    if (info.is_archived) return { ok: false, error: `${label} is archived, so I can't post there. Pick another channel.` };
    if (info.is_member === false) {
      return {
        ok: false,
        error: `PostForge is not in ${label}, so it could not post there. Invite it with \`/invite @PostForge\` in ${label}, then run the command again. Nothing was charged.`,
      };
    }
    targets.push({ kind: 'slack', channel: info.id });
  }
  return { ok: true, targets };
}
