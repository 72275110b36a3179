// /post: check everything that can be checked without a lookup, record the command (one insert
// into `bot_commands`: the one durable step), defer (ephemeral to the author), hand it to the
// relay, which starts its `botCommand` workflow once the edge is quiet (or the sweeper does). The
// worker carries it out (carryOutPost: permissions, credits, the preview, the post) and edits the
// deferred reply with the interaction's token; the post's milestones edit it from then on.
// An API that dies right after the deferred answer loses nothing.
import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import type { Target } from '../../core/domain';
import type { DiscordLink } from '../../core/records';
import { balanceOf } from '../../services/credits';
import { recordCommand, relayCommand } from '../../services/botCommands';
import { CreatePostSchema, type CreatePostBody } from '../../services/postSchemas';
import { createPost } from '../../services/posts';
import type { NotifyChannel } from '../../worker/activities/notify';
import { EXAMPLES, parsePostOptions, type PostRequest } from './commands';
import { botCanSend, isManager, managerPermission, permissionLabel } from './permissions';
import { renderPost } from './render';
import { authorOf, exampleLine, type Turn, type Who } from './turn';

export async function postCommand(turn: Turn, w: Who, i: APIChatInputApplicationCommandInteraction): Promise<void> {
  const checked = checkPost(turn, w, i);
  if (!checked.ok) return turn.ephemeral(checked.error);
  let recorded: Awaited<ReturnType<typeof recordCommand>>;
  try {
    recorded = await recordCommand(turn.deps.ctx, 'discord', i.id, { interaction: i, applicationId: turn.applicationId } satisfies DiscordCommandPayload);
  } catch (err) {
    turn.deps.log(`could not hand off /post: ${(err as Error).message}`);
    return turn.ephemeral('PostForge could not take that command just now; nothing was started or charged. Please try again in a minute.');
  }
  await turn.deferEphemeral();
  relayCommand(turn.deps.ctx, recorded);
}

/** What the worker gets for a /post: the interaction, and the application its token belongs to. */
export interface DiscordCommandPayload {
  interaction: APIChatInputApplicationCommandInteraction;
  applicationId: string;
}

type Checked =
  | { ok: true; body: CreatePostBody; req: PostRequest; channelId: string | undefined; invokedIn: string | undefined; targets: Target[]; at: Date | undefined }
  | { ok: false; error: string };

/** Every check that needs no lookup: the options, the manager permission, the post's body. Pure, so the worker repeats it. */
function checkPost(turn: Turn, w: Who, i: APIChatInputApplicationCommandInteraction): Checked {
  const { ctx } = turn.deps;
  const parsed = parsePostOptions(i.data.options, { timeZone: ctx.config.DISCORD_TIMEZONE, now: turn.now });
  if (!parsed.ok) return { ok: false, error: `${parsed.error}${exampleLine(parsed.example)}` };
  const req = parsed.request;
  const invokedIn = i.channel?.id;
  // No channel and no LinkedIn means "here".
  const channelId = req.channelId ?? (req.linkedin ? undefined : invokedIn);
  if (channelId && !isManager(ctx.config, w.permissions)) {
    const needed = permissionLabel(managerPermission(ctx.config)?.name ?? 'ManageGuild');
    return {
      ok: false,
      error: `Publishing to a channel needs the **${needed}** permission. Ask someone who has it, or post to your own LinkedIn instead.${exampleLine(EXAMPLES.postLinkedIn)}`,
    };
  }
  const targets: Target[] = [...(channelId ? [{ kind: 'discord' as const, channelId }] : []), ...(req.linkedin ? [{ kind: 'linkedin' as const }] : [])];
  const body = CreatePostSchema.safeParse({
    topic: req.topic,
    ...(req.tone ? { tone: req.tone } : {}),
    ...(req.language ? { language: req.language } : {}),
    ...(req.when ? { when: req.when } : {}),
    targets,
    timeZone: req.timeZone,
    requireApproval: true,
  });
  if (!body.success) return { ok: false, error: `${body.error.issues[0]?.message ?? 'That post could not be started.'}${exampleLine(EXAMPLES.post)}` };
  return { ok: true, body: body.data, req, channelId, invokedIn, targets, at: parsed.at };
}

/**
 * The rest of a /post, in the worker after the deferred answer: the bot's channel permissions,
 * credits, the preview (an edit of the deferred reply), the post keyed by the interaction (so a
 * retried activity starts and charges one post).
 */
export async function carryOutPost(turn: Turn, w: Who, i: APIChatInputApplicationCommandInteraction): Promise<void> {
  const { ctx, api } = turn.deps;
  const checked = checkPost(turn, w, i);
  if (!checked.ok) return turn.ephemeral(checked.error);
  const { body, req, channelId, invokedIn, targets } = checked;
  const refuse = (text: string) => turn.editReply({ content: text, embeds: [], components: [] });
  try {
    await turn.ensureGuild(w);
    if (channelId) {
      const check = await botCanSend(api, {
        guildId: w.guildId,
        channelId,
        ...(invokedIn ? { invokedIn } : {}),
        ...(i.app_permissions ? { appPermissions: i.app_permissions } : {}),
      });
      if (!check.ok) return refuse(check.error);
    }
    if ((await balanceOf(ctx.db, w.accountId)) < 1) {
      return refuse(
        `This server has no credits left, so I did not start the post. Someone with ${permissionLabel(managerPermission(ctx.config)?.name ?? 'ManageGuild')} can buy a pack with \`${EXAMPLES.credits}\`.`,
      );
    }
    // The reply becomes the post's live status page; it says "drafting" until the draft is in.
    await turn.editReply(
      renderPost(
        {
          _id: 'pending',
          status: 'generating',
          topic: req.topic,
          hashtags: [],
          targets,
          scheduledAt: checked.at ?? turn.now,
          timeZone: req.timeZone,
          results: [],
        },
        { now: turn.now, buttons: false },
      ),
    );
    const link: DiscordLink = {
      applicationId: turn.applicationId,
      interactionToken: i.token,
      tokenIssuedAt: turn.now,
      guildId: w.guildId,
      userId: w.userId,
      ...(invokedIn ? { channelId: invokedIn } : {}),
    };
    const notify: NotifyChannel = {
      kind: 'discord',
      applicationId: link.applicationId,
      interactionToken: link.interactionToken,
      userId: w.userId,
      guildId: w.guildId,
      tokenIssuedAt: turn.now.toISOString(),
      ...(invokedIn ? { channelId: invokedIn } : {}),
    };
    // Keyed by the interaction, so an interaction delivered twice starts (and charges) one post.
    await createPost(ctx, authorOf(w), body, { notify, idempotencyKey: `discord-interaction:${i.id}`, links: { discord: link } });
  } catch (err) {
    await turn.fail(err, 'start the post');
  }
}
