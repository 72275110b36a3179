// The floor to compare PostForge's lifecycle with: a workflow that runs the same number of
// activities in the same order (one after another, then the last ones) and does nothing else.
import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(i: number): Promise<void> }>({ startToCloseTimeout: '30s' });

export async function bareLifecycle(activities: number): Promise<void> {
  for (let i = 0; i < activities; i++) await noop(i);
}
