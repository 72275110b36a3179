// The panel's side of the generate port: text grows as deltas arrive; `done` brings the draft.
import { useCallback, useEffect, useRef, useState } from 'react';
import { GENERATE_PORT, type Draft, type GenerateEvent, type GenerateRequest, type Problem } from './types';

export type GenerateState =
  | { phase: 'idle' }
  | { phase: 'streaming'; text: string }
  | { phase: 'done'; text: string; draft: Draft }
  | { phase: 'failed'; text: string; error: Problem }
  /** The author pressed Stop: the request was aborted, and the API refunds an unfinished draft. */
  | { phase: 'stopped'; text: string };

export function useGenerate(onCharged: (credits: number) => void) {
  const [state, setState] = useState<GenerateState>({ phase: 'idle' });
  const port = useRef<chrome.runtime.Port | null>(null);

  const disconnect = useCallback(() => {
    port.current?.disconnect();
    port.current = null;
  }, []);
  useEffect(() => disconnect, [disconnect]);
  const stop = useCallback(() => {
    if (!port.current) return;
    disconnect();
    setState((s) => (s.phase === 'streaming' ? { phase: 'stopped', text: s.text } : s));
  }, [disconnect]);

  const start = useCallback(
    (req: GenerateRequest) => {
      disconnect();
      setState({ phase: 'streaming', text: '' });
      let p: chrome.runtime.Port;
      try {
        p = chrome.runtime.connect({ name: GENERATE_PORT });
      } catch {
        setState({ phase: 'failed', text: '', error: { kind: 'server', message: 'The PostForge extension was updated or restarted. Reload this page.' } });
        return;
      }
      port.current = p;
      let settled = false;
      p.onMessage.addListener((e: GenerateEvent) => {
        if (e.type === 'charged') onCharged(e.credits);
        else if (e.type === 'delta') setState((s) => ({ phase: 'streaming', text: (s.phase === 'streaming' ? s.text : '') + e.text }));
        else if (e.type === 'done') {
          settled = true;
          setState({ phase: 'done', text: e.draft.content, draft: e.draft });
        } else {
          settled = true;
          setState((s) => ({ phase: 'failed', text: 'text' in s ? s.text : '', error: e.error }));
        }
      });
      p.onDisconnect.addListener(() => {
        if (port.current === p) port.current = null;
        if (!settled)
          setState((s) => ({
            phase: 'failed',
            text: 'text' in s ? s.text : '',
            error: { kind: 'unreachable', message: 'The extension stopped answering. Try again.' },
          }));
      });
      p.postMessage(req);
    },
    [onCharged, disconnect],
  );

  return { state, start, stop };
}
