// The shape of every message handler: load the settings, call the API, answer a Result whose
// error is already in plain words.
import type { PlasmoMessaging } from '@plasmohq/messaging';
import { createApi, type Api } from './api';
import { toProblem } from './problems';
import { readSettings, requireSettings } from './settings';
import type { Result } from './types';

export function apiHandler<Req, Res>(run: (api: Api, body: Req) => Promise<Res>): PlasmoMessaging.MessageHandler<Req, Result<Res>> {
  return async (req, res) => {
    res.send(await withApi((api) => run(api, req.body as Req)));
  };
}

export async function withApi<T>(run: (api: Api) => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, data: await run(createApi(await requireSettings())) };
  } catch (err) {
    return { ok: false, error: toProblem(err, (await readSettings()).apiUrl) };
  }
}
