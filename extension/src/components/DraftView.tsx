import { useState } from 'react';
import { charCount, foldPreview, LINKEDIN_MAX_CHARS, type Device } from '~lib/linkedin';

/** The draft as the feed will show it: the fold ("…see more") on desktop or mobile, and the count. */
export function DraftView({ text, streaming }: { text: string; streaming: boolean }) {
  const [device, setDevice] = useState<Device>('desktop');
  const [expanded, setExpanded] = useState(false);
  const n = charCount(text);
  const { visible, folded } = foldPreview(text, device);
  return (
    <div className="pf-draftview">
      <div className="pf-draft-head">
        <span className="pf-muted">Feed preview</span>
        <span className="pf-seg" role="group" aria-label="Preview as">
          {(['desktop', 'mobile'] as const).map((d) => (
            <button key={d} className={device === d ? 'on' : ''} aria-pressed={device === d} onClick={() => setDevice(d)} data-testid={`pf-preview-${d}`}>
              {d === 'desktop' ? 'Desktop' : 'Mobile'}
            </button>
          ))}
        </span>
      </div>
      <div className="pf-draft" data-testid="pf-draft" aria-live="polite" aria-busy={streaming}>
        {expanded || !folded || streaming ? text : visible}
        {folded && !expanded && !streaming && (
          <>
            <span className="pf-fold" data-testid="pf-fold">
              …
            </span>
            <button className="pf-seemore" data-testid="pf-see-more" onClick={() => setExpanded(true)}>
              see more
            </button>
          </>
        )}
      </div>
      <div className={`pf-count${n > LINKEDIN_MAX_CHARS ? ' over' : ''}`} data-testid="pf-count">
        {n.toLocaleString('en-US')} / {LINKEDIN_MAX_CHARS.toLocaleString('en-US')}
        {n > LINKEDIN_MAX_CHARS && ' — too long for LinkedIn'}
      </div>
    </div>
  );
}
