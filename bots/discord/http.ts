// Transport 1: Discord POSTs each interaction to /discord/interactions; the first answer is the
// HTTP response. Mounted in the API (before any JSON parser: the signature is over the raw bytes).
import express, { type Router } from 'express';
import { InteractionResponseType, MessageFlags, type APIInteraction } from 'discord-api-types/v10';
import { handleInteraction, type DiscordDeps } from './interactions';
import { publicKeyFromHex, verifyInteraction } from './verify';

export const INTERACTIONS_PATH = '/discord/interactions';

export function discordInteractionsRouter(deps: DiscordDeps, publicKeyHex: string): Router {
  const key = publicKeyFromHex(publicKeyHex);
  const router = express.Router();
  router.post(INTERACTIONS_PATH, express.raw({ type: () => true, limit: '256kb' }), async (req, res) => {
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifyInteraction(key, req.get('x-signature-ed25519'), req.get('x-signature-timestamp'), body)) {
      res.status(401).json({ error: 'invalid request signature' });
      return;
    }
    let interaction: APIInteraction;
    try {
      interaction = JSON.parse(body.toString('utf8')) as APIInteraction;
      if (typeof interaction !== 'object' || interaction === null || typeof interaction.type !== 'number') throw new Error('no type');
    } catch {
      res.status(400).json({ error: 'the body is not an interaction object' });
      return;
    }
    let answered = false;
    await handleInteraction(deps, interaction, async (response) => {
      answered = true;
      res.json(response);
    });
    // A handler that never answered would leave Discord waiting until "This interaction failed".
    if (!answered) {
      deps.log(`interaction ${interaction.id} (type ${interaction.type}) finished without an answer`);
      res.json({
        type: InteractionResponseType.ChannelMessageWithSource,
        data: { content: 'PostForge could not answer that; please try again.', flags: MessageFlags.Ephemeral },
      });
    }
  });
  return router;
}
