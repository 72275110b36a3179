// Small pieces several pages show.
import type { PostStatus, Target } from './api';

export function StatusBadge({ status }: { status: PostStatus }) {
  return <span className={`badge st-${status}`}>{status}</span>;
}

export function targetLabel(t: Target): string {
  switch (t.kind) {
    case 'linkedin':
      return 'LinkedIn';
    case 'slack':
      return `Slack ${t.channel ?? ''}`.trim();
    case 'discord':
      return t.channelId ? `Discord #${t.channelId}` : 'Discord webhook';
    case 'webhook':
      return t.url ? `webhook ${new URL(t.url).host}` : 'webhook';
  }
}
