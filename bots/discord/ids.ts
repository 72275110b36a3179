// How Discord things map onto PostForge: a guild is an account, a member of it is an author, and
// every button and modal carries what it acts on in its custom_id (Discord gives nothing else back).

export const discordAccountId = (guildId: string): string => `discord:${guildId}`;
export const discordMemberId = (guildId: string, userId: string): string => `discord:${guildId}:${userId}`;

/** Where a component lives: on the post's own status message, or on a /posts list. */
export type Scope = 'post' | 'list';

export type PostAction = 'approve' | 'edit' | 'regen' | 'sched' | 'discard' | 'cancel';
export type ModalKind = 'editm' | 'schedm';

export type CustomId =
  | { kind: 'post'; scope: Scope; action: PostAction; postId: string }
  | { kind: 'modal'; scope: Scope; modal: ModalKind; postId: string }
  | { kind: 'buy'; packId: string };

const POST_ACTIONS: readonly string[] = ['approve', 'edit', 'regen', 'sched', 'discard', 'cancel'];
const MODALS: readonly string[] = ['editm', 'schedm'];

export const postButtonId = (scope: Scope, action: PostAction, postId: string): string => `pf:${scope}:${action}:${postId}`;
export const modalId = (scope: Scope, modal: ModalKind, postId: string): string => `pf:${scope}:${modal}:${postId}`;
export const buyButtonId = (packId: string): string => `pf:buy:${packId}`;

/** A custom_id of ours, or undefined for anything else (stale buttons from older versions included). */
export function parseCustomId(id: string): CustomId | undefined {
  const parts = id.split(':');
  if (parts[0] !== 'pf') return undefined;
  if (parts[1] === 'buy' && parts.length === 3 && parts[2]) return { kind: 'buy', packId: parts[2] };
  const [, scope, verb, postId] = parts;
  if (parts.length !== 4 || (scope !== 'post' && scope !== 'list') || !verb || !postId) return undefined;
  if (POST_ACTIONS.includes(verb)) return { kind: 'post', scope, action: verb as PostAction, postId };
  if (MODALS.includes(verb)) return { kind: 'modal', scope, modal: verb as ModalKind, postId };
  return undefined;
}
