// npm run discord:register [-- --guild <id> | --global]: sends PostForge's slash commands to Discord.
import { registerCommands } from '../bots/discord/register';
import { config, ConfigError } from '../core/config';

const HELP = `Registers PostForge's slash commands (/post, /series, /queue, /posts, /credits, /connect, /dashboard) with Discord.

Usage: npm run discord:register -- [--guild <id> | --global]

  --guild <id>  register in one server: shows up at once (use this while developing)
  --global      register for every server the bot is in (Discord can take a while to show changes)
  (neither)     DISCORD_DEV_GUILD_ID if set, else global

Needs DISCORD_APP_ID and DISCORD_BOT_TOKEN in the environment.`;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const unknown = args.filter((a, i) => !['--guild', '--global'].includes(a) && args[i - 1] !== '--guild');
  if (unknown.length) {
    console.error(`Unknown argument ${unknown[0]}.\n\n${HELP}`);
    return 2;
  }
  let c;
  try {
    c = config();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : String(err));
    return 2;
  }
  if (!c.DISCORD_APP_ID || !c.DISCORD_BOT_TOKEN) {
    console.error('Set DISCORD_APP_ID (General Information → Application ID) and DISCORD_BOT_TOKEN (Bot → Reset Token), then run this again.');
    return 2;
  }
  const gi = args.indexOf('--guild');
  const guildId = gi >= 0 ? args[gi + 1] : args.includes('--global') ? undefined : c.DISCORD_DEV_GUILD_ID;
  if (gi >= 0 && !/^\d{15,25}$/.test(guildId ?? '')) {
    console.error('--guild needs a server ID (digits): in Discord, turn on Developer Mode, right-click the server, Copy Server ID.');
    return 2;
  }
  try {
    const { scope, names } = await registerCommands({
      applicationId: c.DISCORD_APP_ID,
      botToken: c.DISCORD_BOT_TOKEN,
      apiUrl: c.DISCORD_API_URL,
      ...(guildId ? { guildId } : {}),
    });
    console.log(`Registered ${names.map((n) => `/${n}`).join(', ')} (${scope}).`);
    return 0;
  } catch (err) {
    console.error(`Discord refused the commands: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

void main().then((code) => process.exit(code));
