// `npm run api-key -- create|list|revoke`: API keys from the command line.
import { parseArgs } from 'node:util';
import { ensureAccount } from '../core/accounts';
import { issueApiKey, revokeApiKey } from '../core/apiKeys';
import { config } from '../core/config';
import { connectDatabase } from '../core/db';

const HELP = `Usage:
  npm run api-key -- create --account person:alice [--name "Alice"] [--member alice] [--label laptop] [--admin]
  npm run api-key -- list   --account person:alice
  npm run api-key -- revoke --account person:alice --key pf_abc1234

An account is who pays: person:<id>, slack:<team id> or discord:<guild id>. A new account
gets its welcome credits. The key is printed once and stored only as a hash. A key changes only
its own member's posts unless made with --admin (then any post of the account, like a workspace admin).`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      account: { type: 'string' },
      name: { type: 'string' },
      member: { type: 'string' },
      label: { type: 'string', default: 'cli' },
      key: { type: 'string' },
      admin: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const cmd = positionals[0];
  if (values.help || !cmd) {
    console.log(HELP);
    return;
  }
  const account = values.account;
  if (!account || !/^(person|slack|discord):[\w.-]{1,64}$/.test(account)) {
    console.error('--account is required, like person:alice, slack:T0123 or discord:123456789012345678\n');
    console.error(HELP);
    process.exit(2);
  }
  const c = config();
  const db = await connectDatabase(c.MONGODB_URI);
  try {
    if (cmd === 'create') {
      const kind = account.split(':')[0] as 'person' | 'slack' | 'discord';
      const summary = await ensureAccount(db, { _id: account, kind, name: values.name ?? account }, c.FREE_CREDITS);
      const memberId = values.member ?? account.split(':')[1] ?? account;
      const role = values.admin ? 'admin' : 'member';
      const { key, prefix } = await issueApiKey(db, { accountId: account, memberId, label: values.label ?? 'cli', role });
      console.log(
        `API key for ${account} (member ${memberId}, ${role}, ${summary.credits} credits):\n\n  ${key}\n\nShown once: store it now. Revoke with: npm run api-key -- revoke --account ${account} --key ${prefix}`,
      );
    } else if (cmd === 'list') {
      const keys = await db.apiKeys.find({ accountId: account }).toArray();
      if (!keys.length) console.log(`No keys for ${account}.`);
      for (const k of keys)
        console.log(
          `${k.prefix}…  member ${k.memberId}  ${k.role ?? 'member'}  ${k.label}  created ${k.createdAt.toISOString()}${k.revokedAt ? `  REVOKED ${k.revokedAt.toISOString()}` : ''}`,
        );
    } else if (cmd === 'revoke') {
      if (!values.key) throw new Error('--key is required: the key or its prefix (see list)');
      const n = await revokeApiKey(db, account, values.key.slice(0, 10));
      console.log(n ? `Revoked ${n} key(s).` : 'No active key matches; see `npm run api-key -- list`.');
    } else {
      console.error(`Unknown command "${cmd}".\n\n${HELP}`);
      process.exitCode = 2;
    }
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
