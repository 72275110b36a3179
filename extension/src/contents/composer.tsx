// "Write with PostForge" next to LinkedIn's post editor. Plasmo mounts this after the anchor and
// re-mounts it when LinkedIn re-renders the composer (its MutationObserver re-runs getInlineAnchor).
import type { PlasmoCSConfig, PlasmoGetInlineAnchor, PlasmoGetStyle } from 'plasmo';
import { useState } from 'react';
import { Panel } from '~components/Panel';
import { css } from '~components/styles';
import { findAnchor } from '~lib/selectors';

export const config: PlasmoCSConfig = {
  // The test build adds its local origin through PLASMO_PUBLIC_TEST_MATCHES; unset, Plasmo drops it.
  matches: ['https://www.linkedin.com/*', '$PLASMO_PUBLIC_TEST_MATCHES'],
  run_at: 'document_idle',
};

// Returning nothing while the composer is closed is fine: Plasmo keeps watching and tries again.
export const getInlineAnchor = (() => {
  const element = findAnchor();
  return element ? { element, insertPosition: 'afterend' } : null;
}) as PlasmoGetInlineAnchor;

export const getStyle: PlasmoGetStyle = () => {
  const style = document.createElement('style');
  style.textContent = css;
  return style;
};

export default function Composer() {
  const [open, setOpen] = useState(false);
  return (
    <div className="pf" data-testid="pf-root">
      {open ? (
        <Panel onClose={() => setOpen(false)} />
      ) : (
        <button className="pf-trigger" data-testid="pf-open" onClick={() => setOpen(true)}>
          ✦ Write with PostForge
        </button>
      )}
    </div>
  );
}
