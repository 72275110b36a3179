// The UI side of messaging: typed calls to the service worker, which does the actual fetching.
import { sendToBackground } from '@plasmohq/messaging';
import type { NewPost } from './api';
import type { QueueStatus } from './queueTypes';
import type { LinkedInStatus, Me, Pack, Post, PostChange, Result } from './types';

async function ask<T>(name: string, body?: unknown): Promise<Result<T>> {
  try {
    // The message names are checked by Plasmo's generated types; the casts keep this helper generic.
    return (await sendToBackground({ name: name as never, body })) as Result<T>;
  } catch {
    return { ok: false, error: { kind: 'server', message: 'The PostForge extension was updated or restarted. Reload this page.' } };
  }
}

export const bg = {
  me: () => ask<Me>('me'),
  listPosts: () => ask<{ posts: Post[]; total: number }>('list-posts'),
  createPost: (body: NewPost) => ask<{ id: string; scheduledAt: string }>('create-post', body),
  queueNext: () => ask<QueueStatus>('queue-next'),
  reschedulePost: (body: { id: string; scheduledAt: string; timeZone: string }) => ask<PostChange>('reschedule-post', body),
  cancelPost: (body: { id: string }) => ask<PostChange>('cancel-post', body),
  packs: () => ask<{ packs: Pack[] }>('packs'),
  buy: (body: { pack?: string }) => ask<{ url: string }>('checkout', body),
  connections: () => ask<{ linkedin: LinkedInStatus }>('connections'),
  connectLinkedIn: () => ask<{ url: string }>('connect-linkedin'),
  openDashboard: (body?: { page: 'schedule' }) => ask<{ url: string }>('open-dashboard', body),
  getSettings: () => ask<{ apiUrl: string; hasKey: boolean; keyHint?: string }>('get-settings'),
  saveSettings: (body: { apiUrl: string; apiKey: string }) => ask<Me>('save-settings', body),
  openOptions: () => ask<null>('open-options'),
  selectors: () => ask<unknown>('selectors'),
  signIn: () => ask<{ signedIn: boolean }>('sign-in'),
  signOut: () => ask<null>('sign-out'),
  saveApiUrl: (body: { apiUrl: string }) => ask<{ apiUrl: string }>('save-api-url', body),
};
