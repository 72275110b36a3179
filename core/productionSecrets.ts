// The secrets that authenticate something have development defaults that are public (they are in
// this repository), so a production process that fell back to one would trust anyone: a Stripe event
// signed with the public webhook secret mints credits. In production every such secret must be the
// operator's own; development and tests keep working with the defaults.
import type { Config } from './config';

/** The development defaults of the authenticating secrets, exactly as core/config.ts applies them. */
export const PUBLIC_DEV_SECRETS = {
  STRIPE_SECRET_KEY: 'sk_test_123',
  STRIPE_WEBHOOK_SECRET: 'whsec_postforge_local_development_secret',
  ENCRYPTION_KEY: 'postforge-local-development-only-key',
} as const;

const MAKE_ONE = 'make one with `openssl rand -base64 32`';

interface SecretRule {
  name: keyof Config;
  /** Only checked when set: a front end that is off needs no secret. */
  optional?: boolean;
  /** Why a public value is dangerous and where a real one comes from. */
  howToGet: string;
  /** A problem with a value that is not the public default, if any. */
  check?: (value: string) => string | undefined;
}

// Add a rule here for every new secret that authenticates a caller or seals data.
const RULES: SecretRule[] = [
  {
    name: 'STRIPE_SECRET_KEY',
    howToGet: 'copy your secret key (sk_live_… or a restricted rk_live_…) from Stripe Dashboard → Developers → API keys',
    check: (v) =>
      /^(sk|rk)_(live|test)_\S{8,}$/.test(v) ? undefined : 'must be a Stripe secret key like sk_live_… or rk_live_… (Dashboard → Developers → API keys)',
  },
  {
    name: 'STRIPE_WEBHOOK_SECRET',
    howToGet: "copy your endpoint's signing secret (whsec_…) from Stripe Dashboard → Developers → Webhooks",
    check: (v) =>
      /^whsec_\S{24,}$/.test(v) ? undefined : 'must be a Stripe endpoint signing secret like whsec_… (Dashboard → Developers → Webhooks → your endpoint)',
  },
  {
    name: 'ENCRYPTION_KEY',
    howToGet: `it must be 32 random bytes in base64; ${MAKE_ONE}`,
    check: (v) => encryptionKeyProblem(v),
  },
  {
    name: 'SLACK_STATE_SECRET',
    optional: true,
    howToGet: MAKE_ONE,
    check: (v) => (v.length >= 32 ? undefined : `signs Slack's OAuth install state and must be at least 32 random characters; ${MAKE_ONE}`),
  },
];

/**
 * Production needs a real AES-256 key: exactly 32 bytes, base64. A passphrase would be hashed to a key
 * (core/crypto.ts does that for development), but a passphrase is guessable where random bytes are not.
 */
export function encryptionKeyProblem(value: string): string | undefined {
  const wrong = `must be 32 random bytes in base64 (44 characters ending in "="), not a passphrase; ${MAKE_ONE}`;
  const body = value.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]{43}$/.test(body)) return wrong;
  const bytes = Buffer.from(body, 'base64');
  if (bytes.length !== 32) return wrong;
  // Base64 of typed text decodes to printable ASCII only; 32 random bytes do that once in ~10^14.
  if (bytes.every((b) => b >= 0x20 && b < 0x7f)) return `decodes to text, not random bytes; ${MAKE_ONE}`;
  return undefined;
}

/** What is wrong with the authenticating secrets for this NODE_ENV, one line per variable. */
export function productionSecretProblems(c: Config): string[] {
  if (c.NODE_ENV !== 'production') return [];
  const publicValues = new Set<string>(Object.values(PUBLIC_DEV_SECRETS));
  const problems: string[] = [];
  for (const rule of RULES) {
    const value = c[rule.name];
    if (typeof value !== 'string' || value === '') {
      if (!rule.optional) problems.push(`${rule.name}: required in production; ${rule.howToGet}`);
      continue;
    }
    if (publicValues.has(value)) {
      problems.push(
        `${rule.name}: is unset or the public development default, which anyone can read in this repository; production needs your own: ${rule.howToGet}`,
      );
      continue;
    }
    const problem = rule.check?.(value);
    if (problem) problems.push(`${rule.name}: ${problem}`);
  }
  return problems;
}
