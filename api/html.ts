// The few plain pages people land on from Stripe and LinkedIn.
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function htmlPage(title: string, body: string, opts: { refreshSeconds?: number } = {}): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${opts.refreshSeconds ? `<meta http-equiv="refresh" content="${opts.refreshSeconds}">` : ''}<title>${escapeHtml(title)} · PostForge</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1d1d1f}h1{font-size:1.5rem}.muted{color:#6e6e73}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}<p class="muted">You can close this tab and go back to Slack, Discord or LinkedIn.</p></body></html>`;
}
