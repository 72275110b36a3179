// One stylesheet for the panel (inside a shadow root, where the page's CSS cannot reach) and the
// extension pages, injected as a <style> element so all three look alike.
export const css = `
:host, .pf { all: initial; }
.pf, .pf * { box-sizing: border-box; font-family: -apple-system, system-ui, "Segoe UI", Roboto, sans-serif; font-size: 14px; color: #1d2226; }
.pf { display: block; }
.pf-trigger { display: inline-flex; align-items: center; gap: 6px; margin: 8px 12px; padding: 6px 14px; border-radius: 16px; border: 1px solid #4f46e5; background: #fff; color: #4f46e5; font-weight: 600; cursor: pointer; }
.pf-trigger:hover { background: #eef2ff; }
.pf-panel { margin: 8px 12px; padding: 12px; border: 1px solid #d0d5dd; border-radius: 10px; background: #fff; box-shadow: 0 4px 16px rgba(0,0,0,.08); width: min(560px, calc(100% - 24px)); }
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
.pf-draft { white-space: pre-wrap; margin-top: 10px; padding: 10px; border-radius: 8px; background: #f8f9fb; border: 1px solid #eaecf0; max-height: 260px; overflow: auto; }
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
.pf-section h2 { font-size: 13px; font-weight: 700; margin: 0 0 6px; text-transform: uppercase; letter-spacing: .04em; color: #475467; }
`;

export function Style() {
  return <style>{css}</style>;
}
