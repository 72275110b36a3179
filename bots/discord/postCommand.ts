// /post: check everything that can be checked, defer (ephemeral to the author), start the post.
// The workflow's milestones then edit that reply: the draft with its buttons, scheduled, published.
import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import type { Target } from '../../core/domain';
import type { DiscordLink } from '../../core/records';
import { balanceOf } from '../../services/credits';
import { CreatePostSchema } from '../../services/postSchemas';
import { createPost } from '../../services/posts';
import type { NotifyChannel } from '../../worker/activities/notify';
import { EXAMPLES, parsePostOptions } from './commands';
import { botCanSend, isManager, managerPermission, permissionLabel } from './permissions';
import { renderPost } from './render';
import { authorOf, exampleLine, type Turn, type Who } from './turn';

export async function postCommand(turn: Turn, w: Who, i: APIChatInputApplicationCommandInteraction): Promise<void> {
  const { ctx, api } = turn.deps;
  const parsed = parsePostOptions(i.data.options, { timeZone: ctx.config.DISCORD_TIMEZONE, now: turn.now });
  if (!parsed.ok) return turn.ephemeral(`${parsed.error}${exampleLine(parsed.example)}`);
  const req = parsed.request;
  const invokedIn = i.channel?.id;
  // No channel and no LinkedIn means "here".
  const channelId = req.channelId ?? (req.linkedin ? undefined : invokedIn);
  if (channelId && !isManager(ctx.config, w.permissions)) {
    const needed = permissionLabel(managerPermission(ctx.config)?.name ?? 'ManageGuild');
    return turn.ephemeral(
      `Publishing to a channel needs the **${needed}** permission. Ask someone who has it, or post to your own LinkedIn instead.${exampleLine(EXAMPLES.postLinkedIn)}`,
    );
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
  if (!body.success) return turn.ephemeral(`${body.error.issues[0]?.message ?? 'That post could not be started.'}${exampleLine(EXAMPLES.post)}`);

  await turn.deferEphemeral();
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
          scheduledAt: parsed.at ?? turn.now,
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
    await createPost(ctx, authorOf(w), body.data, { notify, idempotencyKey: `discord-interaction:${i.id}`, links: { discord: link } });
  } catch (err) {
    await turn.fail(err, 'start the post');
  }
}
