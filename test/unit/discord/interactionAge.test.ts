// The real /discord/interactions route: a correctly signed interaction is refused once its signed
// timestamp is more than a few minutes old, so a captured request cannot be replayed later.
import { generateKeyPairSync, sign } from 'node:crypto';
import express from 'express';
import { InteractionResponseType, InteractionType } from 'discord-api-types/v10';
import { discordInteractionsRouter } from '../../../bots/discord/http';
import type { DiscordDeps } from '../../../bots/discord/interactions';
import { startServer, type RunningServer } from '../../standins/http';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const publicKeyHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
const ping = JSON.stringify({ id: '900000000000000001', application_id: '900000000000000002', type: InteractionType.Ping, token: 't', version: 1 });

let server: RunningServer;
beforeAll(async () => {
  // A PING needs nothing from the services; anything else touching them would fail the test loudly.
  const deps = { ctx: {}, api: {}, log: () => {} } as unknown as DiscordDeps;
  const app = express();
  app.use(discordInteractionsRouter(deps, publicKeyHex));
  server = await startServer(app);
});
afterAll(() => server.close());

async function send(timestampSec: number): Promise<number> {
  const ts = String(timestampSec);
  const signature = sign(null, Buffer.from(ts + ping), privateKey).toString('hex');
  const res = await fetch(`${server.url}/discord/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': ts },
    body: ping,
  });
  if (res.status === 200) expect(await res.json()).toEqual({ type: InteractionResponseType.Pong });
  return res.status;
}

describe('Discord interaction age', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it('answers a fresh, correctly signed interaction', async () => {
    expect(await send(now())).toBe(200);
    expect(await send(now() - 60)).toBe(200);
  });

  it('refuses a correctly signed interaction older than 5 minutes with 401', async () => {
    expect(await send(now() - 6 * 60)).toBe(401);
    expect(await send(now() - 86_400)).toBe(401);
  });

  it('refuses a timestamp from the future', async () => {
    expect(await send(now() + 6 * 60)).toBe(401);
  });
});
