// Buttons and modals. A click on the post's own message answers "deferred update" and keeps the
// click's fresh token on the post, so the workflow's next milestone can still edit that message;
// a click on a /posts list refreshes the list instead.
import { ComponentType, InteractionResponseType, type APIMessageComponentInteraction, type APIModalSubmitInteraction } from 'discord-api-types/v10';
import { isDuplicateKey } from '../../core/db';
import type { PostDoc } from '../../core/records';
import { isValidTimeZone, parseWhen } from '../../core/time';
import { postWasRefunded } from '../../services/credits';
import { HashtagSchema } from '../../services/postSchemas';
import { UserError } from '../../services/errors';
import { approvePost, cancelPost, discardPost, getPostToChange, patchPost, regeneratePost, type Actor } from '../../services/posts';
import { parseCustomId, type PostAction, type Scope } from './ids';
import { buyButton, upcomingAndRecent } from './info';
import { adminPermissionName, permissionLabel } from './permissions';
import { contentFromFields, editModal, renderPost, renderPostList, scheduleModal } from './render';
import { actorOf, type Turn, type Who } from './turn';

const STALE = 'That button is from an older PostForge message. Run the command again for a fresh one.';

export async function onButton(turn: Turn, w: Who, i: APIMessageComponentInteraction): Promise<void> {
  const id = parseCustomId(i.data.custom_id);
  if (!id || id.kind === 'modal') return turn.ephemeral(STALE);
  if (id.kind === 'buy') return buyButton(turn, w, id.packId);
  const post = await ownPost(turn, w, id.postId);
  if (!post) return;
  const { ctx } = turn.deps;
  if (id.action === 'edit' || id.action === 'sched') {
    if (post.status !== 'draft' && post.status !== 'scheduled') return turn.ephemeral(`This post is ${post.status}, so it can no longer change.`);
    const modal = id.action === 'edit' ? editModal(post, id.scope) : scheduleModal(post, id.scope, { timeZone: post.timeZone, now: turn.now });
    return turn.respond({ type: InteractionResponseType.Modal, data: modal });
  }
  // Approve works once: a second click, or one after the draft expired, is told what happened instead.
  if (id.action === 'approve' && post.status !== 'draft') return turn.ephemeral(await notApprovable(turn, post));
  await turn.deferUpdate();
  if (id.scope === 'post') await keepToken(turn, post._id);
  try {
    await ACTIONS[id.action](turn, actorOf(ctx, w), post._id);
    if (id.scope === 'list') await refreshList(turn, w, id.action === 'cancel' || id.action === 'discard' ? post._id : undefined);
  } catch (err) {
    // Two clicks at once: the workflow took the other one; say so in words, not its state names.
    const now = id.action === 'approve' && err instanceof UserError && err.status === 409 ? await ctx.db.posts.findOne({ _id: post._id }) : null;
    if (now && now.status !== 'draft') await turn.ephemeral(await notApprovable(turn, now));
    else await turn.fail(err, ACTION_WORDS[id.action]);
  }
}

/** Why a post can no longer be approved, for the one who clicked. */
async function notApprovable(turn: Turn, post: PostDoc): Promise<string> {
  switch (post.status) {
    case 'scheduled':
    case 'publishing':
    case 'published':
      return `This draft was already approved (it is ${post.status} now); nothing more to do.`;
    case 'canceled': {
      const refunded = (await postWasRefunded(turn.deps.ctx.db, post._id)) ? ' Its credit was refunded.' : '';
      return /^expired/.test(post.reason ?? '')
        ? `This draft expired before anyone approved it, so it was not published.${refunded}`
        : `This draft was discarded or canceled, so it was not published.${refunded}`;
    }
    case 'failed':
      return `This post failed: ${post.reason ?? 'unknown reason'}.`;
    default:
      return 'The draft is still being written; approve it once it shows up here.';
  }
}

type ButtonAction = Exclude<PostAction, 'edit' | 'sched'>;

const ACTIONS: Record<ButtonAction, (turn: Turn, actor: Actor, postId: string) => Promise<unknown>> = {
  approve: (t, a, p) => approvePost(t.deps.ctx, a, p),
  regen: (t, a, p) => regeneratePost(t.deps.ctx, a, p),
  discard: (t, a, p) => discardPost(t.deps.ctx, a, p),
  cancel: (t, a, p) => cancelPost(t.deps.ctx, a, p),
};

const ACTION_WORDS: Record<PostAction, string> = {
  approve: 'approve the post',
  regen: 'regenerate the draft',
  discard: 'discard the draft',
  cancel: 'cancel the post',
  edit: 'edit the post',
  sched: 'schedule the post',
};

export async function onModal(turn: Turn, w: Who, i: APIModalSubmitInteraction): Promise<void> {
  const id = parseCustomId(i.data.custom_id);
  if (!id || id.kind !== 'modal') return turn.ephemeral(STALE);
  const fields = modalFields(i);
  if (id.modal === 'editm') return submitEdit(turn, w, id.scope, id.postId, fields);
  return submitSchedule(turn, w, id.scope, id.postId, fields);
}

async function submitEdit(turn: Turn, w: Who, scope: Scope, postId: string, fields: Map<string, string>): Promise<void> {
  const content = contentFromFields(fields).trim();
  const tags = (fields.get('hashtags') ?? '').split(/[\s,]+/).filter(Boolean);
  const hashtags: string[] = [];
  for (const t of tags) {
    const h = HashtagSchema.safeParse(t);
    // The modal is gone once submitted: give the text back so nothing typed is lost.
    if (!h.success)
      return turn.ephemeral(`"${t}" is not a hashtag: use letters, digits or underscores, like #remotework. Your text, to paste back:\n${quoteBack(content)}`);
    hashtags.push(h.data);
  }
  if (!content) return turn.ephemeral('The text cannot be empty.');
  const post = await ownPost(turn, w, postId);
  if (!post) return;
  await turn.deferUpdate();
  if (scope === 'post') await keepToken(turn, postId);
  try {
    await patchPost(turn.deps.ctx, actorOf(turn.deps.ctx, w), postId, { content, hashtags });
    // An edit is not a milestone the workflow announces, so the message is re-rendered here.
    if (scope === 'post') await rerender(turn, postId);
  } catch (err) {
    await turn.fail(err, 'save your edit');
    await turn.ephemeral(`Your text, to paste back:\n${quoteBack(content)}`).catch(() => undefined);
  }
}

async function submitSchedule(turn: Turn, w: Who, scope: Scope, postId: string, fields: Map<string, string>): Promise<void> {
  const when = (fields.get('when') ?? '').trim();
  const timeZone = (fields.get('timezone') ?? '').trim() || turn.deps.ctx.config.DISCORD_TIMEZONE;
  if (!isValidTimeZone(timeZone))
    return turn.ephemeral(`Unknown time zone "${timeZone}". Use a name like Europe/Berlin or America/New_York, then click the button again.`);
  const parsed = parseWhen(when, { timeZone, now: turn.now });
  if (!parsed.ok) return turn.ephemeral(`I couldn't use "${when}": ${parsed.error}`);
  const post = await ownPost(turn, w, postId);
  if (!post) return;
  await turn.deferUpdate();
  if (scope === 'post') await keepToken(turn, postId);
  try {
    const { ctx } = turn.deps;
    const actor = actorOf(ctx, w);
    await patchPost(ctx, actor, postId, { scheduledAt: parsed.at.toISOString(), timeZone });
    if (post.status === 'draft') await approvePost(ctx, actor, postId);
    if (scope === 'list') await refreshList(turn, w);
  } catch (err) {
    await turn.fail(err, 'schedule the post');
  }
}

/** The post, if it is this server's and the asker may change it (its author, or an admin); the service decides. */
async function ownPost(turn: Turn, w: Who, postId: string): Promise<PostDoc | undefined> {
  const { ctx } = turn.deps;
  try {
    return await getPostToChange(ctx, actorOf(ctx, w), postId);
  } catch (err) {
    if (err instanceof UserError && err.status === 403) {
      await turn.ephemeral(
        `Only the post's author or someone with **${permissionLabel(adminPermissionName(ctx.config))}** can change it: it goes out under the author's name.`,
      );
    } else {
      await turn.fail(err, 'find the post');
    }
    return undefined;
  }
}

/** Remembers this click's token, so the workflow can keep editing the reply for 15 more minutes. */
async function keepToken(turn: Turn, postId: string): Promise<void> {
  const doc = { applicationId: turn.applicationId, interactionToken: turn.interaction.token, tokenIssuedAt: turn.now };
  try {
    await turn.deps.ctx.db.discordTokens.replaceOne({ _id: postId }, doc, { upsert: true });
  } catch (err) {
    // Two clicks at once both upserting: the other click's token is just as fresh.
    if (!isDuplicateKey(err)) throw err;
  }
}

async function rerender(turn: Turn, postId: string): Promise<void> {
  const post = await turn.deps.ctx.db.posts.findOne({ _id: postId });
  if (post) await turn.editReply(renderPost(post, { now: turn.now }));
}

async function refreshList(turn: Turn, w: Who, ended?: string): Promise<void> {
  const view = renderPostList(await upcomingAndRecent(turn, w, ended), turn.now);
  await turn.editReply({ content: view.content, embeds: view.embeds, components: view.components });
}

/**
 * Text inputs by custom_id. Our modals send Label components (type 18), so a submission carries
 * `{ type: 18, id, component: { type: 4, id, custom_id, value } }` per input (Component Reference,
 * "Label Interaction Response Structure"); an action row's `components` (a modal opened before the
 * switch) is still read so nothing typed into an older modal is lost.
 */
export function modalFields(i: Pick<APIModalSubmitInteraction, 'data'>): Map<string, string> {
  const out = new Map<string, string>();
  for (const top of (i.data.components ?? []) as unknown as ReadonlyArray<Record<string, unknown>>) {
    const children =
      top.type === ComponentType.Label && top.component
        ? [top.component as Record<string, unknown>]
        : Array.isArray(top.components)
          ? (top.components as Array<Record<string, unknown>>)
          : [top];
    for (const c of children) {
      if (c.type === ComponentType.TextInput && typeof c.custom_id === 'string' && typeof c.value === 'string') out.set(c.custom_id, c.value);
    }
  }
  return out;
}

const quoteBack = (text: string): string => `\`\`\`\n${text.replace(/```/g, "'''").slice(0, 1800)}\n\`\`\``;
