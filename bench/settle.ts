// Between sections: the posts an earlier section made must have finished their lifecycles, or the
// next section measures that backlog. The lateness section ends at the last arrival at the sink, but
// a 5,000-post burst's completions are paced (PUBLISH_COMPLETION_RATE) and its workflows then finish:
// the kill run started into that and found none of its 200 posts armed 47 s after their creation.
import type { BenchStack } from './stack';
import { progress } from './progress';

/** Waits until no post is still on its way (generating, scheduled, publishing), or `timeoutMs` passes. */
export async function waitForPostsToSettle(stack: BenchStack, opts: { label: string; timeoutMs: number }): Promise<void> {
  const open = () => stack.db.posts.countDocuments({ status: { $in: ['generating', 'scheduled', 'publishing'] } });
  const first = await open();
  const bar = progress(opts.label, first);
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const left = await open();
    bar.update(first - left);
    if (left === 0 || Date.now() > deadline) {
      bar.end(left === 0 ? 'settled' : `${left} still open after ${Math.round(opts.timeoutMs / 1000)} s`);
      return;
    }
    await new Promise((r) => setTimeout(r, 2_000));
  }
}
