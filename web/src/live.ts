// Live updates: polls /app/api/changes every few seconds and bumps a version number when any post of
// the account changed, so the visible page refetches. Cheap: the server answers most polls from the
// account's change marker; every RESCAN_EVERY-th poll asks it to look at the posts themselves.
import { useEffect, useState } from 'react';
import { api } from './api';

export const POLL_MS = 3000;
const RESCAN_EVERY = 10;

export function useLiveVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    // The server's clock sets the first cursor: the browser's may be off by minutes.
    let cursor: string | undefined;
    let polls = 0;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      try {
        const r = await api.changes(cursor, cursor !== undefined && ++polls % RESCAN_EVERY === 0);
        const first = cursor === undefined;
        cursor = r.cursor;
        if (!first && r.changes.length && !stopped) setVersion((v) => v + 1);
      } catch {
        // A missed poll is retried on the next tick; a lost session shows on the next real call.
      }
      if (!stopped) timer = setTimeout(tick, POLL_MS);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  return version;
}
