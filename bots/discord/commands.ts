// The slash commands: their definitions (what `npm run discord:register` sends to Discord) and the
// reading of a /post's options into a checked request. Pure: no Discord, no database, so every
// rejection is decided before anything is charged.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  type APIApplicationCommandInteractionDataOption,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { TONES, type Tone } from '../../core/domain';
import { isValidTimeZone, parseWhen } from '../../core/time';
import { isQueueWhen } from '../../services/queueSlots';

export const EXAMPLES = {
  post: '/post topic:Why we moved our scheduler to Temporal tone:witty when:tomorrow 09:00',
  postLinkedIn: '/post topic:What we learned shipping v2 linkedin:True',
  posts: '/posts',
  credits: '/credits',
  connect: '/connect',
  dashboard: '/dashboard',
} as const;

export const LANGUAGES: ReadonlyArray<{ name: string; value: string }> = [
  { name: 'English', value: 'en' },
  { name: 'Deutsch', value: 'de' },
  { name: 'Français', value: 'fr' },
  { name: 'Español', value: 'es' },
  { name: 'Português', value: 'pt' },
  { name: 'Italiano', value: 'it' },
  { name: 'Nederlands', value: 'nl' },
  { name: 'Polski', value: 'pl' },
  { name: 'Svenska', value: 'sv' },
  { name: 'Türkçe', value: 'tr' },
  { name: '日本語', value: 'ja' },
  { name: '한국어', value: 'ko' },
  { name: '中文', value: 'zh' },
  { name: 'हिन्दी', value: 'hi' },
];

const TOPIC_MIN = 3;
const TOPIC_MAX = 500;
const WHEN_MAX = 100;
const GUILD_ONLY = { contexts: [InteractionContextType.Guild], integration_types: [ApplicationIntegrationType.GuildInstall] };

export const COMMANDS: RESTPutAPIApplicationCommandsJSONBody = [
  {
    type: ApplicationCommandType.ChatInput,
    name: 'post',
    description: 'Write a post with Claude, review it, and schedule it (1 credit; refunded if it cannot be delivered)',
    ...GUILD_ONLY,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'topic',
        description: 'What the post is about',
        required: true,
        min_length: TOPIC_MIN,
        max_length: TOPIC_MAX,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'tone',
        description: 'How it should sound (default: professional)',
        choices: TONES.map((t) => ({ name: t, value: t })),
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'language',
        description: 'Language to write in (default: English)',
        choices: LANGUAGES.map((l) => ({ ...l })),
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'when',
        description: 'When to publish: "tomorrow 09:00", "in 2 hours" (default: as soon as you approve)',
        autocomplete: true,
        max_length: WHEN_MAX,
      },
      {
        type: ApplicationCommandOptionType.Channel,
        name: 'channel',
        description: 'A channel of this server to publish to (default: this one, unless linkedin is on)',
        channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
      },
      { type: ApplicationCommandOptionType.Boolean, name: 'linkedin', description: 'Also publish to your LinkedIn (connect it with /connect)' },
      {
        type: ApplicationCommandOptionType.String,
        name: 'timezone',
        description: 'Your time zone for "when", like Europe/Berlin',
        autocomplete: true,
        max_length: 64,
      },
    ],
  },
  { type: ApplicationCommandType.ChatInput, name: 'posts', description: "This server's scheduled and recent posts, with Cancel and Reschedule", ...GUILD_ONLY },
  { type: ApplicationCommandType.ChatInput, name: 'credits', description: "This server's credits, and packs to buy", ...GUILD_ONLY },
  { type: ApplicationCommandType.ChatInput, name: 'connect', description: 'Connect your LinkedIn so PostForge can post as you', ...GUILD_ONLY },
  { type: ApplicationCommandType.ChatInput, name: 'dashboard', description: 'A one-time link to the web dashboard: calendar, posts, credits', ...GUILD_ONLY },
];

export type Options = ReadonlyArray<APIApplicationCommandInteractionDataOption>;

export const option = (options: Options | undefined, name: string): APIApplicationCommandInteractionDataOption | undefined =>
  options?.find((o) => o.name === name);

function value<T extends string | boolean>(options: Options | undefined, name: string, type: 'string' | 'boolean'): T | undefined {
  const o = option(options, name);
  return o && 'value' in o && typeof o.value === type ? (o.value as T) : undefined;
}

export interface PostRequest {
  topic: string;
  tone?: Tone;
  language?: string;
  when?: string;
  /** A channel chosen with the channel option. */
  channelId?: string;
  linkedin: boolean;
  timeZone: string;
}

export type PostParse = { ok: true; request: PostRequest; at?: Date } | { ok: false; error: string; example: string };

/** Reads /post's options. Discord enforces most limits in its UI; a forged or old client may not. */
export function parsePostOptions(options: Options | undefined, defaults: { timeZone: string; now: Date }): PostParse {
  const fail = (error: string, example: string = EXAMPLES.post): PostParse => ({ ok: false, error, example });
  const topic = value<string>(options, 'topic', 'string')?.trim() ?? '';
  if (!topic) return fail('Tell me what to write about with the topic option.');
  if (topic.length < TOPIC_MIN) return fail(`The topic needs at least ${TOPIC_MIN} characters.`);
  if (topic.length > TOPIC_MAX) return fail(`The topic is too long: at most ${TOPIC_MAX} characters.`);
  const tone = value<string>(options, 'tone', 'string');
  if (tone !== undefined && !(TONES as readonly string[]).includes(tone)) return fail(`Unknown tone "${tone}". Pick one of: ${TONES.join(', ')}.`);
  const language = value<string>(options, 'language', 'string');
  if (language !== undefined && !LANGUAGES.some((l) => l.value === language)) return fail(`Unknown language "${language}". Pick one from the list.`);
  const timeZone = value<string>(options, 'timezone', 'string')?.trim() || defaults.timeZone;
  if (!isValidTimeZone(timeZone))
    return fail(
      `Unknown time zone "${timeZone}". Use a name like Europe/Berlin or America/New_York.`,
      `/post topic:Our roadmap when:tomorrow 09:00 timezone:Europe/Berlin`,
    );
  const when = value<string>(options, 'when', 'string')?.trim() || undefined;
  let at: Date | undefined;
  if (when) {
    if (when.length > WHEN_MAX) return fail(`when is at most ${WHEN_MAX} characters.`);
    // "queue" is resolved when the post starts: the server's next free slot.
    if (!isQueueWhen(when)) {
      const parsed = parseWhen(when, { timeZone, now: defaults.now });
      if (!parsed.ok) return fail(`I couldn't use when:${when} — ${parsed.error}`);
      at = parsed.at;
    }
  }
  const channel = option(options, 'channel');
  const channelId = channel && 'value' in channel && typeof channel.value === 'string' ? channel.value : undefined;
  return {
    ok: true,
    request: {
      topic,
      ...(tone ? { tone: tone as Tone } : {}),
      ...(language ? { language } : {}),
      ...(when ? { when } : {}),
      ...(channelId ? { channelId } : {}),
      linkedin: value<boolean>(options, 'linkedin', 'boolean') ?? false,
      timeZone,
    },
    ...(at ? { at } : {}),
  };
}
