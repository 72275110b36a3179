import type { PlasmoMessaging } from '@plasmohq/messaging';
import { Storage } from '@plasmohq/storage';
import type { Result } from '~lib/types';

const handler: PlasmoMessaging.MessageHandler<unknown, Result<null>> = async (_req, res) => {
  await new Storage({ area: 'local' }).remove('apiKey');
  res.send({ ok: true, data: null });
};

export default handler;
