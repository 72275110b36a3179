// Registering the slash commands with Discord through @discordjs/rest: to one guild (instant; for
// development) or globally (production; Discord may take a while to show changes everywhere).
import { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import { COMMANDS } from './commands';

export interface RegisterOptions {
  applicationId: string;
  botToken: string;
  apiUrl: string;
  /** Absent: global commands. */
  guildId?: string;
}

export async function registerCommands(opts: RegisterOptions): Promise<{ scope: string; names: string[] }> {
  const rest = new REST({ version: '10', api: opts.apiUrl, retries: 1, timeout: 15_000 }).setToken(opts.botToken);
  const route = opts.guildId ? Routes.applicationGuildCommands(opts.applicationId, opts.guildId) : Routes.applicationCommands(opts.applicationId);
  // PUT replaces the whole set, so a removed command disappears too.
  const saved = (await rest.put(route, { body: COMMANDS })) as Array<{ name: string }>;
  return { scope: opts.guildId ? `guild ${opts.guildId}` : 'global', names: saved.map((c) => c.name) };
}
