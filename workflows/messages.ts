// The messages a post's workflow answers. Clients (API, bots) import these definitions.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PostState } from '../core/lifecycle';

export interface EditInput {
  content?: string;
  hashtags?: string[];
}

export const statusQuery = defineQuery<PostState>('status');
export const approveUpdate = defineUpdate<PostState, []>('approve');
export const editUpdate = defineUpdate<PostState, [EditInput]>('edit');
export const regenerateUpdate = defineUpdate<PostState, [{ instructions?: string }]>('regenerate');
export const discardUpdate = defineUpdate<PostState, []>('discard');
export const rescheduleUpdate = defineUpdate<PostState, [{ scheduledAt: string }]>('reschedule');
export const cancelUpdate = defineUpdate<PostState, []>('cancel');
/** Sent when the author reconnects a destination a paused post was waiting for. */
export const connectionRestoredSignal = defineSignal<[{ provider: string }]>('connectionRestored');
