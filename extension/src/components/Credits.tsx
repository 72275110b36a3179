import { useState } from 'react';
import { bg } from '~lib/bg';
import type { Problem } from '~lib/types';

/** The balance, always in sight; with none left, the way to get more. */
export function Credits({ credits, onError }: { credits: number | null; onError: (p: Problem) => void }) {
  const [busy, setBusy] = useState(false);
  const buy = async () => {
    setBusy(true);
    const r = await bg.buy({});
    setBusy(false);
    if (!r.ok) onError(r.error);
  };
  return (
    <span className="pf-credits" data-testid="pf-credits">
      {credits === null ? (
        '…'
      ) : (
        <>
          <strong data-testid="pf-credit-count">{credits}</strong> credit{credits === 1 ? '' : 's'} left
        </>
      )}
      {credits !== null && credits <= 0 && (
        <button className="pf-btn small" onClick={buy} disabled={busy}>
          {busy ? 'Opening…' : 'Buy credits'}
        </button>
      )}
    </span>
  );
}
