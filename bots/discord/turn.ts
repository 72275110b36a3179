// One interaction being answered: who is asking, the one first answer Discord allows (within
// 3 s), and what comes after it (edits of that answer, follow-ups). Both transports build a Turn;
// the handlers only ever talk to it.
import {
  InteractionResponseType,
  MessageFlags,
  type APIInteraction,
  type APIInteractionResponse,
  type APIInteractionResponseCallbackData,
  type RESTPatchAPIWebhookWithTokenMessageJSONBody,
} from 'discord-api-types/v10';
import { isDuplicateKey } from '../../core/db';
import { ensureAccount } from '../../services/accounts';
import type { ServiceContext } from '../../services/context';
import { UserError } from '../../services/errors';
import type { Actor, Author } from '../../services/posts';
import type { DiscordApi } from './api';
import { discordAccountId, discordMemberId } from './ids';
import { isGuildAdmin } from './permissions';

export interface DiscordDeps {
  ctx: ServiceContext;
  api: DiscordApi;
  log: (msg: string) => void;
}

/** Sends the first answer: as the HTTP response body, or as a REST callback for gateway events. */
export type Respond = (response: APIInteractionResponse) => Promise<void>;

export interface Who {
  guildId: string;
  userId: string;
  accountId: string;
  memberId: string;
  /** The member's permissions in the channel, as Discord computed them (a bitfield string). */
  permissions: string | undefined;
}

export const authorOf = (w: Who): Author => ({ accountId: w.accountId, memberId: w.memberId, source: 'discord' });

/** The member acting on posts: an admin holds the manager permission Discord sent with the interaction. */
export const actorOf = (ctx: ServiceContext, w: Who): Actor => ({
  accountId: w.accountId,
  memberId: w.memberId,
  isAdmin: isGuildAdmin(ctx.config, w.permissions),
});

const NO_MENTIONS = { parse: [] as [] };

export class Turn {
  private answered = false;
  /** Answered with "thinking…" and not edited since: the next message replaces it. */
  private thinking = false;

  constructor(
    readonly deps: DiscordDeps,
    readonly interaction: APIInteraction,
    private readonly send: Respond,
    readonly now: Date = deps.ctx.now?.() ?? new Date(),
  ) {}

  /**
   * The same interaction carried on elsewhere (the worker) after its edge deferred the reply:
   * whatever comes next edits that "thinking…" reply or follows up, with the interaction's token.
   */
  static afterDeferredReply(deps: DiscordDeps, interaction: APIInteraction, now: Date): Turn {
    const turn = new Turn(
      deps,
      interaction,
      async () => {
        throw new Error('this interaction was already answered by its edge');
      },
      now,
    );
    turn.answered = true;
    turn.thinking = true;
    return turn;
  }

  get responded(): boolean {
    return this.answered;
  }

  /** The asker, or undefined outside a server (DMs): a guild is the account that pays. */
  get who(): Who | undefined {
    const i = this.interaction;
    const userId = i.member?.user.id ?? i.user?.id;
    if (!i.guild_id || !userId) return undefined;
    return {
      guildId: i.guild_id,
      userId,
      accountId: discordAccountId(i.guild_id),
      memberId: discordMemberId(i.guild_id, userId),
      permissions: i.member?.permissions,
    };
  }

  /**
   * The application the interaction's webhook belongs to. Discord's own slash-command example has no
   * `application_id`, so the configured one stands in: follow-ups then still reach
   * /webhooks/<app>/<token> instead of /webhooks/undefined/… (found by test/contract).
   */
  get applicationId(): string {
    return this.interaction.application_id || (this.deps.ctx.config.DISCORD_APP_ID ?? '');
  }

  async respond(response: APIInteractionResponse): Promise<void> {
    if (this.answered) throw new Error('this interaction was already answered');
    this.answered = true;
    await this.send(response);
  }

  /** A message only the asker sees, as the first answer or, after it, as a follow-up. */
  async ephemeral(content: string, extra: Pick<APIInteractionResponseCallbackData, 'embeds' | 'components'> = {}): Promise<void> {
    const data = { content, flags: MessageFlags.Ephemeral, allowed_mentions: NO_MENTIONS, ...extra } as const;
    if (!this.answered) return this.respond({ type: InteractionResponseType.ChannelMessageWithSource, data });
    if (this.thinking) return this.editReply({ content, embeds: [], components: [], ...extra });
    await this.deps.api.followUp(this.applicationId, this.interaction.token, data);
  }

  /** Thinking…, visible to the asker only; the answer comes with editReply. */
  deferEphemeral(): Promise<void> {
    this.thinking = true;
    return this.respond({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
  }

  /** For a click: the message with the button stays, and is edited later. */
  deferUpdate(): Promise<void> {
    return this.respond({ type: InteractionResponseType.DeferredMessageUpdate });
  }

  /** Edits the first answer (or, for a click, the message the button is on). */
  editReply(body: RESTPatchAPIWebhookWithTokenMessageJSONBody): Promise<void> {
    this.thinking = false;
    return this.deps.api.editOriginal(this.applicationId, this.interaction.token, { allowed_mentions: NO_MENTIONS, ...body });
  }

  /** Tells the asker what went wrong: their own mistake as it is, ours in general words. */
  async fail(err: unknown, what: string): Promise<void> {
    const text = messageFor(err, this.deps, what);
    await this.ephemeral(text).catch((e: unknown) => this.deps.log(`could not tell the user that ${what} failed: ${String(e)}`));
  }

  /**
   * True the first time this interaction is seen. A signed interaction stays valid for minutes (the
   * timestamp window), so one captured and sent again must not create or charge a second time.
   */
  async firstDelivery(w: Who, what: string): Promise<boolean> {
    try {
      await this.deps.ctx.db.discordInteractions.insertOne({ _id: this.interaction.id, guildId: w.guildId, what, at: this.now });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** The server's account with its welcome credits, created the first time anyone uses PostForge. */
  async ensureGuild(w: Who): Promise<void> {
    await ensureAccount(this.deps.ctx.db, { _id: w.accountId, kind: 'discord', name: w.guildId }, this.deps.ctx.config.FREE_CREDITS);
  }
}

export function messageFor(err: unknown, deps: Pick<DiscordDeps, 'log'>, what: string): string {
  if (err instanceof UserError) return err.message;
  deps.log(`${what} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return `Something went wrong on PostForge's side while trying to ${what}; please try again in a minute.`;
}

export const exampleLine = (example: string): string => `\nFor example: \`${example}\``;
