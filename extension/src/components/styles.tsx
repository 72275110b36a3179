// One stylesheet for the panel (inside a shadow root, where the page's CSS cannot reach) and the
// extension pages, injected as a <style> element so all three look alike.
export const css = `
:host, .pf { all: initial; }
.pf, .pf * { box-sizing: border-box; font-family: -apple-system, system-ui, "Segoe UI", Roboto, sans-serif; font-size: 14px; color: #1d2226; }
.pf { display: block; }
.pf-trigger { display: inline-flex; align-items: center; gap: 6px; margin: 8px 12px; padding: 6px 14px; border-radius: 16px; border: 1px solid #4f46e5; background: #fff; color: #4f46e5; font-weight: 600; cursor: pointer; }
.pf-trigger:hover { background: #eef2ff; }
.pf-sheet { position: fixed; top: 0; right: 0; bottom: 0; width: 380px; max-width: 100vw; z-index: 2147483646; background: #fff; border-left: 1px solid #d0d5dd; box-shadow: -8px 0 24px rgba(0,0,0,.12); display: flex; flex-direction: column; }
.pf-sheet > .pf-head { padding: 12px 14px; border-bottom: 1px solid #eaecf0; margin: 0; }
.pf-body { flex: 1; overflow: auto; padding: 4px 14px 14px; }
.pf-foot { border-top: 1px solid #eaecf0; padding: 4px 14px 12px; background: #fcfcfd; }
.pf-launcher { position: fixed; left: 20px; bottom: 20px; z-index: 2147483646; padding: 10px 16px; border-radius: 22px; border: 0; background: #4f46e5; color: #fff; font-weight: 700; box-shadow: 0 6px 18px rgba(79,70,229,.35); cursor: pointer; }
.pf-reason { font-size: 12px; color: #667085; align-self: center; }
.pf-improve { margin-top: 12px; padding: 8px 10px; border: 1px dashed #d0d5dd; border-radius: 8px; }
.pf-improve .pf-actions { margin-top: 6px; }
.pf-draftview { margin-top: 12px; }
.pf-draft-head { display: flex; justify-content: space-between; align-items: center; }
.pf-seg { display: inline-flex; border: 1px solid #d0d5dd; border-radius: 14px; overflow: hidden; }
.pf-seg button { border: 0; background: #fff; padding: 2px 10px; font-size: 12px; color: #475467; }
.pf-seg button.on { background: #eef2ff; color: #3730a3; font-weight: 600; }
.pf-fold { color: #667085; }
.pf-seemore { border: 0; background: none; color: #667085; font-weight: 600; padding: 0 0 0 4px; }
.pf-count { text-align: right; font-size: 12px; color: #667085; margin-top: 4px; }
.pf-count.over { color: #b42318; font-weight: 600; }
.pf-empty { text-align: left; padding-top: 20px; }
.pf-empty-title { font-size: 16px; font-weight: 700; margin-bottom: 6px; }
.pf-empty .pf-btn { display: block; margin-top: 10px; }
.pf-head { display: flex; align-items: center; justify-content: space-between; margin-bottom: 8px; }
.pf-title { font-weight: 700; color: #4f46e5; }
.pf-credits { font-size: 13px; color: #475467; display: inline-flex; align-items: center; gap: 8px; }
.pf-credits strong { color: #1d2226; }
.pf label { display: block; font-size: 12px; font-weight: 600; color: #475467; margin: 8px 0 4px; }
.pf input, .pf select, .pf textarea { width: 100%; padding: 6px 8px; border: 1px solid #d0d5dd; border-radius: 6px; background: #fff; }
.pf textarea { min-height: 56px; resize: vertical; }
.pf-row { display: flex; gap: 8px; }
.pf-row > * { flex: 1; }
.pf-actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 10px; }
.pf button { cursor: pointer; }
.pf-btn { padding: 6px 14px; border-radius: 16px; border: 1px solid #4f46e5; background: #4f46e5; color: #fff; font-weight: 600; }
.pf-btn[disabled] { opacity: .5; cursor: default; }
.pf-btn.secondary { background: #fff; color: #4f46e5; }
.pf-btn.small { padding: 3px 10px; font-size: 12px; }
.pf-btn.danger { border-color: #b42318; color: #b42318; background: #fff; }
.pf-draft { white-space: pre-wrap; margin-top: 6px; padding: 10px; border-radius: 8px; background: #f8f9fb; border: 1px solid #eaecf0; max-height: 260px; overflow: auto; }
.pf-error { margin-top: 8px; padding: 8px 10px; border-radius: 8px; background: #fef3f2; border: 1px solid #fecdca; color: #b42318; }
.pf-note { margin-top: 8px; padding: 8px 10px; border-radius: 8px; background: #ecfdf3; border: 1px solid #abefc6; color: #067647; }
.pf-muted { color: #667085; font-size: 12px; }
.pf-list { list-style: none; margin: 0; padding: 0; }
.pf-list li { padding: 8px 0; border-bottom: 1px solid #eaecf0; }
.pf-status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 11px; font-weight: 600; background: #f2f4f7; color: #344054; margin-right: 6px; }
.pf-status.scheduled { background: #eef2ff; color: #3730a3; }
.pf-status.published { background: #ecfdf3; color: #067647; }
.pf-status.failed, .pf-status.canceled { background: #fef3f2; color: #b42318; }
.pf-section { margin-top: 14px; }
.pf-queue { margin-top: 6px; }
.pf-or { margin-top: 10px; }
.pf code { font-family: ui-monospace, monospace; font-size: 11px; background: #f2f4f7; padding: 0 3px; border-radius: 3px; }
.pf-section h2 { font-size: 13px; font-weight: 700; margin: 0 0 6px; text-transform: uppercase; letter-spacing: .04em; color: #475467; }
`;

export function Style() {
  return <style>{css}</style>;
}
