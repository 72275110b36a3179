import { bg } from '~lib/bg';
import type { Problem } from '~lib/types';

/** A problem in words, with the one action that fixes it when there is one. */
export function ErrorNote({ problem }: { problem: Problem | null }) {
  if (!problem) return null;
  const needsSettings = problem.kind === 'not_configured' || problem.kind === 'unauthorized';
  return (
    <div className="pf-error" role="alert" data-kind={problem.kind}>
      {problem.message}{' '}
      {needsSettings && (
        <button className="pf-btn small secondary" onClick={() => void bg.openOptions()}>
          Open settings
        </button>
      )}
    </div>
  );
}
