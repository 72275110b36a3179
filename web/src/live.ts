// Live updates: polls /app/api/changes every few seconds and bumps a version number when any post of
// the account changed, so the visible page refetches. Cheap: the server answers from updatedAt.
import { useEffect, useState } from 'react';
import { api } from './api';

export const POLL_MS = 3000;

export function useLiveVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let cursor = new Date(Date.now() - POLL_MS).toISOString();
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      try {
        const r = await api.changes(cursor);
        cursor = r.cursor;
        if (r.changes.length && !stopped) setVersion((v) => v + 1);
      } catch {
        // A missed poll is retried on the next tick; a lost session shows on the next real call.
      }
      if (!stopped) timer = setTimeout(tick, POLL_MS);
    };
    timer = setTimeout(tick, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  return version;
}
