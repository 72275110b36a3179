// The one place the environment is read. Parsed once with zod; every default runs locally, and a
// bad value fails at start with a message naming the variable and what it expects.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { z } from 'zod';
import { PUBLIC_DEV_SECRETS, productionSecretProblems } from './productionSecrets';
import { isValidTimeZone } from './time/format';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no', '']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number({ error: 'a port number from 0 to 65535' }).int('a whole port number').min(0).max(65535, 'a port number from 0 to 65535');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));

/** A duration like "30s", "15m" or "7d", in milliseconds. */
const durationMs = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .pipe(
      z
        .string()
        .regex(/^\d+(ms|s|m|h|d)$/, 'a duration like "30s", "15m", "7d"')
        .transform((v) => {
          const n = Number.parseInt(v, 10);
          const unit = v.replace(/^\d+/, '') as 'ms' | 's' | 'm' | 'h' | 'd';
          return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit];
        }),
    );

/** LinkedIn-Version: YYYYMM, optionally with a revision (.RR). */
export const LINKEDIN_VERSION_FORMAT = /^\d{6}(\.\d{2})?$/;

const EMBEDDABLE = ['temporal', 'ferretdb', 'stripe-mock'] as const;

export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** `json` lines for a log pipeline, or a readable `pretty` line; unset: json in production, pretty elsewhere. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /** A prebuilt workflow bundle (scripts/bundle-workflows.ts; the Docker image sets it). Unset: bundle workflows/ at start, in a child process (worker/bundleAside.ts). */
  WORKFLOW_BUNDLE: optionalString,
  DATA_DIR: z.string().min(1).default('./data'),

  /** Which local servers `npm start` runs itself; empty when pointing at real ones. */
  EMBEDDED_SERVICES: z
    .string()
    .default(EMBEDDABLE.join(','))
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(EMBEDDABLE, { error: `each entry must be one of ${EMBEDDABLE.join(', ')}` }))),

  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('postforge'),
  TEMPORAL_UI_PORT: port.default(8233),
  /** Temporal Cloud: an API key, or mTLS client cert and key files. */
  TEMPORAL_API_KEY: optionalString,
  TEMPORAL_TLS_CERT: optionalString,
  TEMPORAL_TLS_KEY: optionalString,

  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'a MongoDB connection string like mongodb://host:27017/postforge')
    .default('mongodb://127.0.0.1:27017/postforge?directConnection=true'),
  /** The database of the edges' inboxes (core/db.ts connectDatabase); unset: `<the URI's database>_inbox`. */
  MONGODB_INBOX_DB: optionalString,
  FERRETDB_PORT: port.default(27017),

  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  /** Where users reach the API (Checkout return pages, OAuth callbacks). */
  PUBLIC_URL: z.url().default('http://localhost:3000'),

  /** Browser origins allowed to call the API (the extension's chrome-extension://<id>, a web app). */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^(https?|chrome-extension):\/\/[^/\s]+$/, 'each origin like https://app.example.com or chrome-extension://<id>'))),
  RATE_LIMIT_PER_KEY: z.coerce.number().int().positive().default(120),
  RATE_LIMIT_PER_IP: z.coerce.number().int().positive().default(300),

  STRIPE_SECRET_KEY: z.string().min(1).default(PUBLIC_DEV_SECRETS.STRIPE_SECRET_KEY),
  /** Unset means the real Stripe API; `npm start` points it at the embedded stripe-mock. */
  STRIPE_API_URL: optionalString.pipe(z.url().optional()),
  STRIPE_MOCK_PORT: port.default(12111),
  /** Production refuses this public default (core/productionSecrets.ts). */
  STRIPE_WEBHOOK_SECRET: z.string().min(1).default(PUBLIC_DEV_SECRETS.STRIPE_WEBHOOK_SECRET),
  /** How often the API delivers Stripe events it recorded and answered but has not signalled to Temporal yet. */
  STRIPE_RELAY_INTERVAL: durationMs('10s'),
  /** How often the edges start the workflows of Slack/Discord commands they acknowledged but did not start (a crash right after the ack, Temporal down). */
  BOT_COMMAND_RELAY_INTERVAL: durationMs('10s'),

  /** Credit packs as JSON: [{ id, name, credits, amount (cents), currency, priceId? }]. */
  CREDIT_PACKS: z
    .string()
    .default(
      JSON.stringify([
        { id: 'starter', name: 'Starter', credits: 10, amount: 500, currency: 'usd' },
        { id: 'popular', name: 'Popular', credits: 50, amount: 2000, currency: 'usd' },
        { id: 'pro', name: 'Pro', credits: 150, amount: 5000, currency: 'usd' },
      ]),
    )
    .transform((v, ctx) => {
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON: [{"id":"starter","name":"Starter","credits":10,"amount":500,"currency":"usd"}]' });
        return z.NEVER;
      }
    })
    .pipe(
      z
        .array(
          z.object({
            id: z.string().regex(/^[a-z0-9-]{1,32}$/, 'pack id is lowercase letters, digits or dashes'),
            name: z.string().min(1),
            credits: z.number().int().positive(),
            amount: z.number().int().positive('amount is in cents, e.g. 500 for $5.00'),
            currency: z.string().regex(/^[a-z]{3}$/, 'a three-letter ISO currency in lower case, e.g. "usd"'),
            priceId: z.string().startsWith('price_').optional(),
          }),
        )
        .min(1, 'at least one pack'),
    ),
  /** How long after a Checkout Session expires its purchase workflow still waits for a late event. */
  PURCHASE_GRACE: durationMs('1h'),
  /** How long a paid purchase keeps listening for refunds and disputes before it completes. */
  PURCHASE_WATCH: durationMs('120d'),

  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: optionalString.pipe(z.url().optional()),
  ANTHROPIC_MODEL: z.string().min(1).default('claude-sonnet-5-5'),

  /** After an account rotates its webhook signing secret, deliveries carry the old secret's signature too for this long. */
  WEBHOOK_SECRET_GRACE: durationMs('24h'),
  PUBLISH_TIMEOUT: durationMs('20s'),
  /**
   * How long before its due time a post wakes to prepare and hand its send to a worker-side timer
   * (docs/DESIGN.md, "Arm early, fire on time"). Sized so a whole burst is armed in time: arming
   * drains ~65-75 posts/s on a 2-core box. 0 turns arming off (the send starts at the due time).
   */
  PUBLISH_ARM_LEAD: durationMs('2m'),
  /**
   * Armed sends' activity completions per second on one worker: a burst's completions queue at this
   * rate instead of all reaching Temporal in the due second (a lone post completes at once). 0: unpaced.
   */
  PUBLISH_COMPLETION_RATE: z.coerce.number().min(0).default(150),
  /**
   * Armed sends take their claim (what makes a send exclusive with a change) ahead of the due time:
   * PUBLISH_CLAIM_MARGIN before it, plus the time this worker's claims for that second take at
   * PUBLISH_CLAIM_RATE a second (FerretDB took ~330 under load). A change after the claim is too late.
   * With several workers, give each the database's rate divided by their number. 0: no crowd allowance.
   */
  PUBLISH_CLAIM_RATE: z.coerce.number().min(0).default(250),
  PUBLISH_CLAIM_MARGIN: durationMs('2s'),
  /** Activities one worker runs at once; every armed post holds one (idle) through its lead. */
  WORKER_ACTIVITY_SLOTS: z.coerce.number().int().min(1).default(5_100),
  /** Workflows one worker keeps cached between tasks (sleeping posts need not stay cached; see worker/createWorker.ts). */
  WORKFLOW_CACHE_SIZE: z.coerce.number().int().min(0).default(100),
  /**
   * Old-space limit of the workflow thread's V8 heap in MB (worker/workflowThreadHeap.ts); 0 sizes it
   * from the cache: 128 + WORKFLOW_CACHE_SIZE. Below ~1 GB V8 also grows that heap less eagerly.
   */
  WORKFLOW_THREAD_HEAP_MB: z.coerce
    .number()
    .int()
    .refine((n) => n === 0 || n >= 64, 'at least 64 (MB), or 0 to size it from WORKFLOW_CACHE_SIZE')
    .default(0),
  /**
   * Webhook, Discord webhook and notify URLs are customer input: by default they may not reach
   * loopback, private, link-local or metadata addresses (core/net). Self-hosters whose receivers
   * live on their own network set this to true.
   */
  ALLOW_PRIVATE_WEBHOOK_HOSTS: bool.default(false),

  /** Seals OAuth tokens at rest: 32 random bytes in base64 (`openssl rand -base64 32`). */
  ENCRYPTION_KEY: z.string().min(16, 'at least 16 characters; best 32 random bytes in base64').default(PUBLIC_DEV_SECRETS.ENCRYPTION_KEY),

  FREE_CREDITS: z.coerce.number().int().min(0).default(10),
  DRAFT_EXPIRY: durationMs('7d'),
  /** Regenerations a draft may have for its one credit; each one is a model call. */
  MAX_FREE_REGENERATIONS: z.coerce.number().int().min(0).max(50).default(3),

  SLACK_SIGNING_SECRET: optionalString,
  /** Single-workspace mode (self-hosters): the bot token of the one workspace, no OAuth install. */
  SLACK_BOT_TOKEN: optionalString,
  SLACK_API_URL: z.url().default('https://slack.com/api/'),
  /** Multi-workspace mode: OAuth v2 install at /slack/install when all three are set. */
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_STATE_SECRET: optionalString,
  /** Socket Mode (bots/slack/main.ts) for local use without a public URL: an xapp- token. */
  SLACK_APP_TOKEN: optionalString,
  SLACK_SOCKET_MODE: bool.default(false),

  /** Application ID (General Information); the commands and interaction follow-ups are under it. */
  DISCORD_APP_ID: optionalString.pipe(
    z
      .string()
      .regex(/^\d{15,25}$/, 'the application ID, digits only (General Information → Application ID)')
      .optional(),
  ),
  /** Turns on POST /discord/interactions in the API (HTTP transport); hex Ed25519 key. */
  DISCORD_PUBLIC_KEY: optionalString.pipe(
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, '64 hex characters (General Information → Public Key)')
      .optional(),
  ),
  DISCORD_BOT_TOKEN: optionalString,
  DISCORD_API_URL: z.url().default('https://discord.com/api'),
  /** gateway: bots/discord/main.ts holds a gateway connection (no public URL needed); http: Discord calls /discord/interactions. */
  DISCORD_TRANSPORT: z.enum(['gateway', 'http']).default('gateway'),
  /** The permission a member needs to buy credits or publish to a channel: a Discord permission name, or "none". */
  DISCORD_MANAGER_PERMISSION: z
    .string()
    .trim()
    .default('ManageGuild')
    .refine(
      (v) => v === 'none' || Object.hasOwn(PermissionFlagsBits, v),
      'a Discord permission name like ManageGuild, Administrator or ManageChannels, or "none"',
    ),
  /** Where status goes once an interaction token has expired (15 min): the author's DMs, or the channel the post was started in. */
  DISCORD_LATE_UPDATES: z.enum(['dm', 'channel']).default('dm'),
  /** Discord does not tell bots a member's time zone; "tomorrow 09:00" is read in this one unless /post says otherwise. */
  DISCORD_TIMEZONE: z.string().trim().default('UTC').refine(isValidTimeZone, 'an IANA time zone like Europe/Berlin'),
  /** `npm run discord:register` registers to this guild (instant, for development) unless --global. */
  DISCORD_DEV_GUILD_ID: optionalString,

  LINKEDIN_CLIENT_ID: optionalString,
  LINKEDIN_CLIENT_SECRET: optionalString,
  /** Where members sign in to LinkedIn (authorization and token endpoints). */
  LINKEDIN_OAUTH_URL: z.url().default('https://www.linkedin.com'),
  LINKEDIN_API_URL: z.url().default('https://api.linkedin.com'),
  /** YYYYMM or YYYYMM.RR (a revision, as LinkedIn publishes e.g. 202508.02). 202608 is the newest LinkedIn's docs confirm. */
  LINKEDIN_VERSION: z.string().regex(LINKEDIN_VERSION_FORMAT, 'a LinkedIn API version YYYYMM or YYYYMM.RR, e.g. 202608').default('202608'),
  /** Sent once, with a warning to the operator, when LinkedIn answers 426 for LINKEDIN_VERSION (retired or not yet live). */
  LINKEDIN_FALLBACK_VERSION: z.string().regex(LINKEDIN_VERSION_FORMAT, 'a LinkedIn API version YYYYMM or YYYYMM.RR, e.g. 202607').default('202607'),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  // Empty strings mean "unset" so that `FOO=` in a .env file falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = ConfigSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => {
        const name = String(i.path[0] ?? '?');
        // Secrets are never echoed: this message ends up in logs.
        const got = /SECRET|KEY|TOKEN|PASSWORD/.test(name) ? undefined : env[name];
        return `${name}: ${i.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`;
      }),
    );
  }
  // Never echoes the value: these are secrets.
  const secretProblems = productionSecretProblems(result.data);
  if (secretProblems.length > 0) throw new ConfigError(secretProblems);
  return result.data;
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** Human status lines for the banner: which front ends are on, and what turns the others on. */
export function frontEnds(c: Config): { name: string; on: boolean; why: string }[] {
  return [
    {
      name: 'Claude',
      on: Boolean(c.ANTHROPIC_API_KEY),
      why: c.ANTHROPIC_API_KEY ? `model ${c.ANTHROPIC_MODEL}` : 'offline generator — set ANTHROPIC_API_KEY',
    },
    {
      name: 'Slack',
      on: Boolean(c.SLACK_SIGNING_SECRET),
      why: c.SLACK_SIGNING_SECRET ? '/slack/events' : 'off — set SLACK_SIGNING_SECRET (and SLACK_BOT_TOKEN)',
    },
    {
      name: 'Discord',
      on: Boolean(c.DISCORD_APP_ID && (c.DISCORD_PUBLIC_KEY || c.DISCORD_BOT_TOKEN)),
      why: discordStatus(c),
    },
  ];
}

function discordStatus(c: Config): string {
  if (!c.DISCORD_APP_ID) return 'off — set DISCORD_APP_ID with DISCORD_BOT_TOKEN (gateway) or DISCORD_PUBLIC_KEY (HTTP interactions)';
  const parts: string[] = [];
  if (c.DISCORD_PUBLIC_KEY) parts.push('/discord/interactions');
  if (c.DISCORD_BOT_TOKEN && c.DISCORD_TRANSPORT === 'gateway') parts.push('gateway');
  return parts.length ? parts.join(' + ') : 'off — set DISCORD_BOT_TOKEN (gateway) or DISCORD_PUBLIC_KEY (HTTP interactions)';
}
