// The content script's React root: the side sheet (kept mounted once opened, so closing it or the
// composer loses nothing) and, while there is no composer to put a button next to, a small
// floating launcher, bottom left (LinkedIn's messaging overlay owns the bottom right).
import { useEffect, useState } from 'react';
import { Panel } from '~components/Panel';
import type { SelectorTable } from '~lib/composer/selectors';
import { usePageState, type PageStore } from './store';

export function App({ store, table }: { store: PageStore; table: () => SelectorTable }) {
  const { composer, open } = usePageState(store);
  const [opened, setOpened] = useState(false);
  useEffect(() => {
    if (open) setOpened(true);
  }, [open]);
  return (
    <div className="pf">
      {opened && (
        <div hidden={!open}>
          <Panel store={store} table={table} hasComposer={!!composer} onCollapse={() => store.set({ open: false })} />
        </div>
      )}
      {!open && !composer && (
        <button className="pf-launcher" data-testid="pf-launcher" onClick={() => store.set({ open: true })} aria-label="Open PostForge">
          ✦ PostForge
        </button>
      )}
    </div>
  );
}
