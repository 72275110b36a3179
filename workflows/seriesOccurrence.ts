// One occurrence of a series, started by its Temporal Schedule: prepare the post, start its
// ordinary postLifecycle (charged, approved or expired-and-refunded like any post) and finish.
// The post outlives this workflow (ABANDON), so the Schedule's SKIP overlap policy only ever
// waits for the few seconds it takes to start a post, never for an approval.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../worker/activities';
import { postLifecycle } from './postLifecycle';

const quick = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '30s', maximumAttempts: 10 },
});

/** A post waits this long on an expired connection (as in services/posts.ts). */
const PAUSE_LIMIT_MS = 7 * 86_400_000;

export async function seriesOccurrence(input: { seriesId: string }): Promise<{ postId?: string; pausedForCredits?: boolean }> {
  const plan = await quick.prepareSeriesOccurrence({ seriesId: input.seriesId, occurrenceId: workflowInfo().workflowId });
  if (plan.kind === 'gone') return {};
  // A repeated occurrence (the same nominal time backfilled again) whose post already ran.
  if (plan.kind === 'done') return { postId: plan.postId };
  try {
    await startChild(postLifecycle, {
      workflowId: `post-${plan.input.postId}`,
      args: [{ ...plan.input, draftExpiryMs: plan.draftExpiryMs, pauseLimitMs: PAUSE_LIMIT_MS, notify: plan.notify }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (err) {
    // A repeat that came while the first run's post was still generating: that post is the one.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return { postId: plan.input.postId, pausedForCredits: plan.pausedForCredits };
}
