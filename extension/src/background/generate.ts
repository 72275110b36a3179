// POST /v1/generate/stream, forwarded event by event over a runtime port. Closing the panel
// disconnects the port, which aborts the request; the API refunds a draft it could not finish.
import { createApi } from '~lib/api';
import { toProblem } from '~lib/problems';
import { readSettings, requireSettings } from '~lib/settings';
import { GENERATE_PORT, type Draft, type GenerateEvent, type GenerateRequest } from '~lib/types';

export function streamDraftToPort(port: chrome.runtime.Port): void {
  if (port.name !== GENERATE_PORT) return;
  const abort = new AbortController();
  let open = true;
  port.onDisconnect.addListener(() => {
    open = false;
    abort.abort();
  });
  const send = (e: GenerateEvent) => {
    if (open) port.postMessage(e);
  };
  port.onMessage.addListener((req: GenerateRequest) => {
    void run(req, abort.signal, send).finally(() => {
      if (open) port.disconnect();
    });
  });
}

async function run(req: GenerateRequest, signal: AbortSignal, send: (e: GenerateEvent) => void): Promise<void> {
  try {
    const api = createApi(await requireSettings());
    let finished = false;
    let draftId: string | undefined;
    for await (const e of api.generate(req, signal)) {
      if (e.event === 'charged') {
        const charged = e.data as { balance: number; draftId?: string };
        draftId = charged.draftId;
        send({ type: 'charged', credits: charged.balance });
      } else if (e.event === 'delta') send({ type: 'delta', text: (e.data as { text: string }).text });
      else if (e.event === 'done') {
        finished = true;
        send({ type: 'done', draft: { ...(e.data as Draft), ...(draftId ? { draftId } : {}) } });
      } else if (e.event === 'error') {
        finished = true;
        send({ type: 'error', error: { kind: 'server', message: 'Writing the draft failed part-way; your credit was refunded. Try again.' } });
      }
    }
    if (!finished)
      send({
        type: 'error',
        error: { kind: 'unreachable', message: 'The connection dropped before the draft was finished; your credit is refunded. Try again.' },
      });
  } catch (err) {
    if (!signal.aborted) send({ type: 'error', error: toProblem(err, (await readSettings()).apiUrl) });
  }
}
