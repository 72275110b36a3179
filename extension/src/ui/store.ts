// What the content script's pieces share: the composer as last found, and whether the panel is
// open. The trigger button, the launcher and the panel read it; the watcher writes it.
import { useSyncExternalStore } from 'react';
import type { Composer } from '~lib/composer/find';

export interface PageState {
  composer: Composer | null;
  open: boolean;
  /** A short confirmation the button shows for a moment (the sheet has just collapsed). */
  flash?: string;
}

export interface PageStore {
  get(): PageState;
  set(patch: Partial<PageState>): void;
  subscribe(listener: () => void): () => void;
  /** Looks again right now (after LinkedIn may have re-rendered), for actions that need the editor. */
  rescan(): Composer | null;
}

export function createPageStore(rescan: () => Composer | null): PageStore {
  let state: PageState = { composer: null, open: false };
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(patch) {
      const next = { ...state, ...patch };
      if (next.composer === state.composer && next.open === state.open && next.flash === state.flash) return;
      state = next;
      for (const l of listeners) l();
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    rescan: () => rescan(),
  };
}

export const usePageState = (store: PageStore): PageState => useSyncExternalStore(store.subscribe, store.get);
