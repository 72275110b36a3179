// The buttons. Each acks first, then asks the post service; the workflow's milestones then update
// the post's message (notifier). A refusal (e.g. approving a post that was already canceled) is
// told to the clicker alone.
import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { View } from '@slack/types';
import { DateTime } from 'luxon';
import { createCheckout } from '../../services/purchases';
import { approvePost, cancelPost, discardPost, getPostToChange, listPosts, regeneratePost, type Actor } from '../../services/posts';
import { parseWhen } from '../../core/time';
import { ACTIONS, renderPostList } from './blocks';
import { editModal, loadingModal, noticeModal, scheduleModal } from './modals';
import { ensureWorkspace, messageFor, slackActor, slackErrorCode, userTimeZone, who, type SlackDeps, type Who } from './shared';

export function registerActions(app: App, deps: SlackDeps): void {
  const { ctx } = deps;

  /** Registers a button whose value is a post id. */
  const onPost = (
    actionId: string,
    what: string,
    run: (a: {
      w: Who;
      actor: Actor;
      postId: string;
      body: BlockAction;
      respond: RespondFn;
      client: Parameters<Parameters<App['action']>[1]>[0]['client'];
    }) => Promise<void>,
  ) => {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond, client }) => {
      await ack();
      const w = who(body.team?.id ?? body.user.team_id ?? '', body.user.id);
      try {
        const actor = await slackActor(ctx, client, w);
        await run({ w, actor, postId: action.value ?? '', body, respond, client });
      } catch (err) {
        await respond({ response_type: 'ephemeral', replace_original: false, text: messageFor(err, deps, what) }).catch(() => undefined);
      }
    });
  };

  /** From the `/postforge list` message, the list itself is refreshed to show the change. */
  const refreshList = async (body: BlockAction, w: Who, respond: RespondFn, ended: string) => {
    if (!body.actions[0]?.block_id?.startsWith('listactions:')) return;
    const { posts } = await listPosts(ctx, w.accountId, { status: ['draft', 'scheduled'], limit: 11, offset: 0 });
    // The workflow accepted the cancel but may not have written it yet: leave that post out.
    await respond({ response_type: 'ephemeral', replace_original: true, ...renderPostList(posts.filter((p) => p._id !== ended).slice(0, 10)) });
  };

  onPost(ACTIONS.approve, 'approve the post', async ({ actor, postId }) => {
    await approvePost(ctx, actor, postId);
  });

  onPost(ACTIONS.discard, 'discard the post', async ({ w, actor, postId, body, respond }) => {
    await discardPost(ctx, actor, postId);
    await refreshList(body, w, respond, postId);
  });

  onPost(ACTIONS.cancel, 'cancel the post', async ({ w, actor, postId, body, respond }) => {
    await cancelPost(ctx, actor, postId);
    await refreshList(body, w, respond, postId);
  });

  onPost(ACTIONS.regenerate, 'regenerate the draft', async ({ actor, postId }) => {
    await regeneratePost(ctx, actor, postId);
  });

  /**
   * A button that opens a modal. Slack's trigger_id is good for 3 seconds from the click, so the modal
   * opens first, showing "Loading…", before anything is read (the database, users.info); the real
   * view then replaces it with views.update, or a notice says why it cannot be shown.
   */
  const onModalButton = (
    actionId: string,
    what: string,
    title: string,
    build: (a: { w: Who; actor: Actor; postId: string; body: BlockAction; client: Parameters<Parameters<App['action']>[1]>[0]['client'] }) => Promise<View>,
  ) => {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond, client }) => {
      await ack();
      const w = who(body.team?.id ?? body.user.team_id ?? '', body.user.id);
      const tell = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text }).catch(() => undefined);
      let viewId: string | undefined;
      try {
        viewId = (await client.views.open({ trigger_id: body.trigger_id, view: loadingModal(title) })).view?.id;
      } catch (err) {
        await tell(`Slack did not let PostForge open the ${title.toLowerCase()} window (${slackErrorCode(err) ?? 'no answer'}); click the button again.`);
        if (!slackErrorCode(err)) deps.log(`views.open for ${actionId} failed: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      if (!viewId) return;
      try {
        const actor = await slackActor(ctx, client, w);
        await client.views.update({ view_id: viewId, view: await build({ w, actor, postId: action.value ?? '', body, client }) });
      } catch (err) {
        const text = messageFor(err, deps, what);
        await client.views.update({ view_id: viewId, view: noticeModal(title, text) }).catch(() => undefined);
        await tell(text);
      }
    });
  };

  onModalButton(ACTIONS.edit, 'open the editor', 'Edit post', async ({ actor, postId, body }) => {
    const post = await getPostToChange(ctx, actor, postId);
    return editModal(post, { ...(body.channel?.id ? { channel: body.channel.id } : {}), ...(body.message?.ts ? { ts: body.message.ts } : {}) });
  });

  onModalButton(ACTIONS.schedule, 'open the scheduler', 'Schedule post', async ({ w, actor, postId, body, client }) => {
    const [post, timeZone] = await Promise.all([getPostToChange(ctx, actor, postId), userTimeZone(client, w.teamId, w.userId)]);
    return scheduleModal(post, initialTime(post, timeZone, ctx.now?.() ?? new Date()), {
      timeZone,
      // Only the post's own message is updated by the workflow; the list is ephemeral.
      ...(body.channel?.id && !body.actions[0]?.block_id?.startsWith('listactions:') ? { channel: body.channel.id } : {}),
    });
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.buy, async ({ ack, body, action, respond }) => {
    await ack();
    const w = who(body.team?.id ?? '', body.user.id);
    try {
      await ensureWorkspace(ctx, w);
      const { url, pack } = await createCheckout(ctx, w, action.value ?? '');
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: `Checkout for ${pack.name} (${pack.credits} credits): ${url}`,
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: `*${pack.name}*: ${pack.credits} credits for this workspace. The link is good for an hour.` } },
          {
            type: 'actions',
            elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open Checkout' }, url, action_id: ACTIONS.openUrl, style: 'primary' }],
          },
        ],
      });
    } catch (err) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: messageFor(err, deps, 'start the checkout') }).catch(() => undefined);
    }
  });

  // Link buttons send an action too; it only needs an ack.
  app.action(ACTIONS.openUrl, async ({ ack }) => {
    await ack();
  });
}

/** What the scheduler shows first: the post's time if still ahead, else the suggested best time, else tomorrow 09:00. */
export function initialTime(post: { scheduledAt: Date; bestTime?: string }, timeZone: string, now: Date): Date {
  if (post.scheduledAt.getTime() > now.getTime() + 60_000) return post.scheduledAt;
  if (post.bestTime) {
    const best = parseWhen(post.bestTime, { timeZone, now });
    if (best.ok && best.at.getTime() > now.getTime()) return best.at;
  }
  return DateTime.fromJSDate(now, { zone: timeZone }).plus({ days: 1 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 }).toJSDate();
}
