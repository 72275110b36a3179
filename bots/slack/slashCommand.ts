// `/postforge`: parse and reject bad input in the ack itself; acknowledge everything else at once
// and do the slow part (Slack lookups, Temporal, Stripe) after, answering through response_url.
// A `write` is recorded before its ack (one insert into `bot_commands`), and its `botCommand`
// workflow started by the relay once acks stop coming; the worker carries it out (commandRunner.ts), so an API that dies
// right after the ack loses nothing.
import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import { issueApiKey } from '../../services/accounts';
import type { Target } from '../../core/domain';
import { balanceOf, listTransactions } from '../../services/credits';
import { formatPrice } from '../../core/packs';
import { escapeSlackText } from '../../core/slackText';
import { linkedInConnectUrl } from '../../services/connections';
import { issueDashboardLink } from '../../services/dashboardSessions';
import { UserError } from '../../services/errors';
import { isQueueWhen } from '../../services/queueSlots';
import { CreatePostSchema } from '../../services/postSchemas';
import { createPost, listPosts, resolveSchedule } from '../../services/posts';
import { renderCredits, renderPost, renderPostList, type PostView } from './blocks';
import { resolveTargets } from './resolveTargets';
import { seriesCommand } from './seriesCommand';
import { EXAMPLES, HELP_TEXT, parseCommand, type SlackCommand } from './commands';
import { recordCommand, relayCommand } from '../../services/botCommands';
import { slackInvocationId } from './shared';
import {
  authorOf,
  ensureWorkspace,
  exampleLine,
  messageFor,
  slackActor,
  slackErrorCode,
  userTimeZone,
  who,
  type BoltClient,
  type SlackDeps,
  type Who,
} from './shared';

type Write = Extract<SlackCommand, { kind: 'write' }>;

export function registerSlashCommand(app: App, deps: SlackDeps): void {
  app.command('/postforge', async ({ command, ack, respond, client }) => {
    const parsed = parseCommand(command.text ?? '');
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', text: `${parsed.error}${exampleLine(parsed.example)}` });
      return;
    }
    const cmd = parsed.command;
    if (cmd.kind === 'help') {
      await ack({ response_type: 'ephemeral', text: HELP_TEXT });
      return;
    }
    if (cmd.kind === 'write') {
      // Durable before the ack: "Drafting…" is a promise kept even if this process dies now (the
      // relay's sweeper starts it). The rest (lookups, the preview, the post) runs in the worker
      // (runSlackCommand), started by the relay after the ack (services/relayQueue.ts).
      let recorded: Awaited<ReturnType<typeof recordCommand>>;
      try {
        recorded = await recordCommand(deps.ctx, 'slack', slackInvocationId(command), command);
      } catch (err) {
        deps.log(`could not hand off /postforge write: ${(err as Error).message}`);
        await ack({
          response_type: 'ephemeral',
          text: 'PostForge could not take that command just now; nothing was started or charged. Please try again in a minute.',
        });
        return;
      }
      await ack({ response_type: 'ephemeral', text: `:writing_hand: Drafting a post about “${escapeSlackText(cmd.topic)}”…` });
      relayCommand(deps.ctx, recorded);
      return;
    }
    await ack();

    const w = who(command.team_id, command.user_id);
    const say = (text: string, extra: Record<string, unknown> = {}) => respond({ response_type: 'ephemeral', replace_original: false, text, ...extra });
    try {
      await ensureWorkspace(deps.ctx, w, command.team_domain);
      switch (cmd.kind) {
        case 'queue-show':
        case 'queue-settings':
        case 'queue-set':
        case 'series-list':
        case 'series-action':
        case 'series-create':
          await seriesCommand(deps, { w, cmd, command, client, say });
          return;
        case 'list':
          await list(deps, w, respond);
          return;
        case 'credits':
          await credits(deps, w, respond);
          return;
        case 'connect': {
          const url = await linkedInConnectUrl(deps.ctx, w);
          await say(`Connect your LinkedIn so PostForge can post as you: ${url}`, {
            blocks: [
              { type: 'section', text: { type: 'mrkdwn', text: 'Connect your LinkedIn so PostForge can post as you. The link works once, for 15 minutes.' } },
              {
                type: 'actions',
                elements: [{ type: 'button', text: { type: 'plain_text', text: 'Connect LinkedIn' }, url, action_id: 'pf_open_url', style: 'primary' }],
              },
            ],
          });
          return;
        }
        case 'dashboard': {
          // The session acts as the member does now, like an API key; the zone is their Slack profile's.
          const [actor, timeZone] = await Promise.all([slackActor(deps.ctx, client, w), userTimeZone(client, w.teamId, w.userId)]);
          const link = await issueDashboardLink(deps.ctx, { ...actor, timeZone });
          // The URL sits only in the button: a link in the text could be unfurled (and so used up) by a preview fetcher.
          await say('Your PostForge dashboard: calendar, posts and credits. The link works once, for 5 minutes.', {
            unfurl_links: false,
            blocks: [
              {
                type: 'section',
                text: {
                  type: 'mrkdwn',
                  text: `Your PostForge dashboard${actor.isAdmin ? ' (as an admin: you can change everyone’s posts)' : ''}. The link works once, for 5 minutes.`,
                },
              },
              {
                type: 'actions',
                elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open dashboard' }, url: link.url, action_id: 'pf_open_url', style: 'primary' }],
              },
            ],
          });
          return;
        }
        case 'key': {
          // The key acts as the member does now: an admin's key may change anyone's post, a member's only their own.
          const { isAdmin } = await slackActor(deps.ctx, client, w);
          const { key, prefix } = await issueApiKey(deps.ctx.db, {
            accountId: w.accountId,
            memberId: w.memberId,
            label: `Slack ${command.user_name ?? w.userId}`,
            role: isAdmin ? 'admin' : 'member',
          });
          await say(
            `Your ${isAdmin ? 'admin ' : ''}API key for the PostForge browser extension (shown only this once; it starts with ${prefix}):\n\`${key}\`\nPaste it into the extension's settings. It spends this workspace's credits.`,
          );
          return;
        }
      }
    } catch (err) {
      await say(messageFor(err, deps, `run /postforge ${cmd.kind}`)).catch(() => undefined);
    }
  });
}

/**
 * Everything a `write` does after its ack: the author's time zone and channels from Slack, the
 * preview message, the post. Runs in the worker (commandRunner.ts); the post's Idempotency-Key
 * (`slack:<trigger_id>`) keeps a second run (a worker that died mid-way) from starting a second post.
 */
export async function carryOutWrite(deps: SlackDeps, command: SlashCommand, cmd: Write, client: BoltClient, respond: RespondFn): Promise<void> {
  const w = who(command.team_id, command.user_id);
  const say = (text: string, extra: Record<string, unknown> = {}) => respond({ response_type: 'ephemeral', replace_original: false, text, ...extra });
  try {
    await ensureWorkspace(deps.ctx, w, command.team_domain);
    await write(deps, { w, cmd, command, client, say });
  } catch (err) {
    await say(messageFor(err, deps, 'run /postforge write')).catch(() => undefined);
  }
}

interface WriteCall {
  w: Who;
  cmd: Write;
  command: SlashCommand;
  client: BoltClient;
  say: (text: string, extra?: Record<string, unknown>) => Promise<unknown>;
}

async function write(deps: SlackDeps, { w, cmd, command, client, say }: WriteCall): Promise<void> {
  const { ctx } = deps;
  const timeZone = await userTimeZone(client, w.teamId, w.userId);
  // Every check that can reject comes before the post starts: rejected input is never charged.
  if (cmd.when && !isQueueWhen(cmd.when)) {
    try {
      resolveSchedule(ctx, { when: cmd.when, timeZone });
    } catch (err) {
      if (err instanceof UserError) {
        await say(`I couldn't use at:${escapeSlackText(cmd.when)} — ${escapeSlackText(err.message)}${exampleLine(EXAMPLES.write)}`);
        return;
      }
      throw err;
    }
  }
  const targets = await resolveTargets(client, cmd.targets);
  if (!targets.ok) {
    await say(targets.error);
    return;
  }
  if ((await balanceOf(ctx.db, w.accountId)) < 1) {
    await say(`This workspace has no credits left, so I did not start the post. Buy a pack with \`${EXAMPLES.credits}\`, then try again.`);
    return;
  }
  const body = CreatePostSchema.safeParse({
    topic: cmd.topic,
    ...(cmd.tone ? { tone: cmd.tone } : {}),
    ...(cmd.language ? { language: cmd.language } : {}),
    ...(cmd.when ? { when: cmd.when } : {}),
    targets: targets.targets,
    timeZone,
    requireApproval: true,
  });
  if (!body.success) {
    await say(`${body.error.issues[0]?.message ?? 'That post could not be started.'}${exampleLine(EXAMPLES.write)}`);
    return;
  }

  // The message that becomes the post's live status page; the workflow updates it from here on.
  const placeholder = renderPost(pendingView(cmd, targets.targets, timeZone));
  let ts: string;
  try {
    const res = await client.chat.postMessage({ channel: command.channel_id, text: placeholder.text, blocks: placeholder.blocks, unfurl_links: false });
    if (!res.ok || !res.ts) throw new Error(`chat.postMessage answered without a message: ${res.error ?? 'no ts'}`);
    ts = res.ts;
  } catch (err) {
    const code = slackErrorCode(err);
    if (code === 'not_in_channel' || code === 'channel_not_found') {
      await say(
        `I can't show the draft here because PostForge is not in this channel. Invite me with \`/invite @PostForge\`, or run the command in a direct message with PostForge. Nothing was charged.`,
      );
      return;
    }
    throw err;
  }
  try {
    await createPost(ctx, authorOf(w), body.data, {
      idempotencyKey: `slack:${command.trigger_id}`,
      notify: { kind: 'slack', channel: command.channel_id, ts, userId: w.userId, teamId: w.teamId },
      links: { slack: { teamId: w.teamId, channel: command.channel_id, ts } },
    });
  } catch (err) {
    const text = messageFor(err, deps, 'start the post');
    await client.chat.update({ channel: command.channel_id, ts, text: `:x: ${text}`, blocks: [] }).catch(() => undefined);
    await say(err instanceof UserError ? `${text}${exampleLine(EXAMPLES.write)}` : text);
  }
}

function pendingView(cmd: Write, targets: Target[], timeZone: string): PostView {
  return { _id: 'pending', status: 'generating', topic: cmd.topic, hashtags: [], targets, scheduledAt: new Date(), timeZone, results: [] };
}

async function list(deps: SlackDeps, w: Who, respond: RespondFn): Promise<void> {
  const [upcoming, recent] = await Promise.all([
    listPosts(deps.ctx, w.accountId, { status: ['draft', 'scheduled'], limit: 10, offset: 0 }),
    listPosts(deps.ctx, w.accountId, { status: ['publishing', 'published', 'failed', 'canceled'], limit: 5, offset: 0 }),
  ]);
  const posts = [...upcoming.posts.sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime()), ...recent.posts];
  await respond({ response_type: 'ephemeral', ...renderPostList(posts) });
}

async function credits(deps: SlackDeps, w: Who, respond: RespondFn): Promise<void> {
  const { ctx } = deps;
  const [balance, movements] = await Promise.all([balanceOf(ctx.db, w.accountId), listTransactions(ctx.db, w.accountId, { limit: 5 })]);
  const view = renderCredits({
    balance,
    movements: movements.map((m) => ({ amount: m.amount, reason: m.reason, at: m.at })),
    packs: ctx.config.CREDIT_PACKS.map((p) => ({ id: p.id, name: p.name, credits: p.credits, price: formatPrice(p) })),
  });
  await respond({ response_type: 'ephemeral', ...view });
}
