// Mounts PostForge into LinkedIn's page with our own shadow hosts, because Plasmo's inline anchor
// cannot: it checks document.contains(anchor), which is false inside #interop-outlet's shadow root
// (a naive fix re-mounts many times a second). Two hosts, each created once and only ever moved:
//  - <postforge-trigger>: the "Write with PostForge" button, right after the editor's wrapper;
//    detached while there is no composer, re-inserted (the same element) when one appears.
//  - <postforge-app>: the side sheet and the floating launcher (position: fixed). It lives in
//    <body>, or inside the modal <dialog> LinkedIn is showing, since a modal dialog makes everything
//    outside it inert. Moving it keeps its React state: a half-written draft survives the
//    composer closing and reopening.
import { createRoot } from 'react-dom/client';
import { css } from '~components/styles';
import type { Composer } from '~lib/composer/find';
import { topModalDialog } from '~lib/composer/find';
import type { SelectorTable } from '~lib/composer/selectors';
import { App } from './App';
import type { PageStore } from './store';

function shadowHost(tag: string): { host: HTMLElement; root: ShadowRoot } {
  const host = document.createElement(tag);
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = css;
  root.append(style);
  return { host, root };
}

/** Hosts left behind by a previous copy of this script (the extension was updated or reloaded). */
function removeStaleHosts(): void {
  for (const el of Array.from(document.querySelectorAll('postforge-trigger, postforge-app'))) el.remove();
}

export function mountPostForge(store: PageStore, table: () => SelectorTable): (c: Composer | null) => void {
  removeStaleHosts();
  const trigger = shadowHost('postforge-trigger');
  const button = document.createElement('button');
  button.className = 'pf-trigger';
  button.dataset.testid = 'pf-open';
  button.textContent = '✦ Write with PostForge';
  button.addEventListener('click', () => store.set({ open: !store.get().open }));
  trigger.root.append(button);
  store.subscribe(() => {
    const label = store.get().flash ?? '✦ Write with PostForge';
    if (button.textContent !== label) button.textContent = label;
  });

  const app = shadowHost('postforge-app');
  const mountPoint = document.createElement('div');
  app.root.append(mountPoint);
  createRoot(mountPoint).render(<App store={store} table={table} />);

  return (composer) => {
    if (composer) {
      const { anchor } = composer;
      if (trigger.host.previousSibling !== anchor) anchor.after(trigger.host);
    } else if (trigger.host.isConnected) {
      trigger.host.remove();
    }
    const parent = topModalDialog(table()) ?? document.body;
    if (app.host.parentNode !== parent) parent.append(app.host);
    store.set({ composer });
  };
}
