// The slash commands: their definitions (what `npm run discord:register` sends to Discord) and the
// reading of a /post's options into a checked request. Pure: no Discord, no database, so every
// rejection is decided before anything is charged.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
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
  series: '/series create theme:Our engineering culture days:mon time:09:00 tone:friendly',
  seriesCron: '/series create theme:Release notes in plain words cron:0 9 * * MON-FRI',
  seriesAction: '/series pause series:<pick one from the list>',
  queue: '/queue set days:weekdays times:08:30 12:00',
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

const TIMEZONE_OPTION: APIApplicationCommandBasicOption = {
  type: ApplicationCommandOptionType.String,
  name: 'timezone',
  description: 'The time zone of the times, like Europe/Berlin',
  autocomplete: true,
  max_length: 64,
};

const SERIES_PICKER: APIApplicationCommandBasicOption = {
  type: ApplicationCommandOptionType.String,
  name: 'series',
  description: 'Which series (type to search by name)',
  required: true,
  autocomplete: true,
  max_length: 100,
};

const SERIES_ACTIONS = {
  pause: 'Pause a series (no posts until resumed)',
  resume: 'Resume a paused series (missed occurrences are not caught up)',
  run: 'Run an occurrence now (1 credit)',
  delete: 'Delete a series (posts it already started stay)',
} as const;

const RECURRENCE_OPTIONS: APIApplicationCommandBasicOption[] = [
  { type: ApplicationCommandOptionType.String, name: 'days', description: 'Weekly on: mon,wed or weekdays or daily (with time)', max_length: 60 },
  { type: ApplicationCommandOptionType.String, name: 'time', description: 'At HH:MM, 24-hour (with days)', max_length: 5 },
  {
    type: ApplicationCommandOptionType.String,
    name: 'cron',
    description: 'Or a cron expression, like 0 9 * * MON (instead of days and time)',
    max_length: 100,
  },
  TIMEZONE_OPTION,
];

const SERIES_STYLE_OPTIONS: APIApplicationCommandBasicOption[] = [
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
    name: 'approval',
    description: 'Approve each draft in this channel (default), or publish as written',
    choices: [
      { name: 'approve each draft in this channel', value: 'channel' },
      { name: 'auto-publish', value: 'auto' },
    ],
  },
  { type: ApplicationCommandOptionType.String, name: 'expires', description: 'An unapproved draft expires (refunded) after, like 24h or 3d', max_length: 10 },
  { type: ApplicationCommandOptionType.String, name: 'name', description: 'A short name (default: the theme)', max_length: 100 },
];

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
  {
    type: ApplicationCommandType.ChatInput,
    name: 'series',
    description: 'A post on a theme written afresh on a schedule (each occurrence 1 credit)',
    ...GUILD_ONLY,
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'create',
        description: 'Start a series; its drafts come to this channel for approval unless approval is auto',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'theme',
            description: 'What every post is about',
            required: true,
            min_length: TOPIC_MIN,
            max_length: TOPIC_MAX,
          },
          ...RECURRENCE_OPTIONS,
          ...SERIES_STYLE_OPTIONS,
          {
            type: ApplicationCommandOptionType.Channel,
            name: 'channel',
            description: 'A channel to publish to (default: this one, unless linkedin is on)',
            channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
          },
          { type: ApplicationCommandOptionType.Boolean, name: 'linkedin', description: 'Also publish to your LinkedIn (connect it with /connect)' },
        ],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: "This server's series with their next runs" },
      ...(['pause', 'resume', 'run', 'delete'] as const).map((name) => ({
        type: ApplicationCommandOptionType.Subcommand as const,
        name,
        description: SERIES_ACTIONS[name],
        options: [SERIES_PICKER],
      })),
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'edit',
        description: 'Change a series: give only what changes',
        options: [
          SERIES_PICKER,
          { type: ApplicationCommandOptionType.String, name: 'theme', description: 'What every post is about', min_length: TOPIC_MIN, max_length: TOPIC_MAX },
          ...RECURRENCE_OPTIONS,
          ...SERIES_STYLE_OPTIONS,
        ],
      },
    ],
  },
  {
    type: ApplicationCommandType.ChatInput,
    name: 'queue',
    description: "This server's posting schedule: the slots that /post when:queue fills",
    ...GUILD_ONLY,
    options: [
      { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'The posting schedule and the next free slots' },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'set',
        description: 'Set the posting schedule (needs the manager permission)',
        options: [
          { type: ApplicationCommandOptionType.String, name: 'days', description: 'Like mon,wed,fri or weekdays or daily', required: true, max_length: 60 },
          { type: ApplicationCommandOptionType.String, name: 'times', description: '24-hour times, like 08:30 12:00', required: true, max_length: 200 },
          TIMEZONE_OPTION,
        ],
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
