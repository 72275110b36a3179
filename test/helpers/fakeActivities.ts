// Activities replaced by recorders, for workflow tests about decisions: each test sets what the
// outside world answers (credits, drafts, publish outcomes) and reads back what was asked.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { type Draft, type Target, type TargetResult } from '../../core/domain';
import { ARM_WITHDRAWN } from '../../core/postRules';
import type { Activities } from '../../worker/activities';

export interface Behaviour {
  credits: number;
  publish: (target: Target) => TargetResult | Error;
  draft: () => Draft;
  /** Holds an activity until the promise settles, to line up a race; undefined: no hold. */
  hold: (activity: string) => Promise<unknown> | undefined;
}

export interface Fakes {
  activities: Partial<Activities>;
  calls: { name: string; args: unknown[] }[];
  behaviour: Behaviour;
  named(name: string): { name: string; args: unknown[] }[];
  /** The most calls of each activity that were running at the same time. */
  maxInFlight: Record<string, number>;
  /** Armed sends by `<postId>:<version>`: who got there first, as the real `publish_arms` keeps it. */
  arms: Map<string, 'fired' | 'withdrawn'>;
  reset(): void;
}

const unopened = new Set<() => void>();
/** A promise a test opens when it is ready: `hold` an activity on it to line up a race. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  const open = () => {
    unopened.delete(open);
    resolve();
  };
  unopened.add(open);
  return { promise, open };
}
/** Opens every gate a failed test left shut, so held activities end and the worker can shut down. */
export function openAllGates(): void {
  for (const open of [...unopened]) open();
}

export const publishedResult = (target: Target): TargetResult => ({ key: target.kind, target, outcome: 'published', externalId: 'ext-1' });

const defaults = (): Behaviour => ({
  credits: 5,
  publish: publishedResult,
  draft: () => ({ content: 'Drafted text', hashtags: ['temporal'], bestTime: 'tuesday 09:00', generator: { kind: 'offline' } }),
  hold: () => undefined,
});

export function createFakes(): Fakes {
  const fakes: Fakes = {
    activities: {},
    calls: [],
    behaviour: defaults(),
    named: (name) => fakes.calls.filter((c) => c.name === name),
    maxInFlight: {},
    arms: new Map(),
    reset() {
      fakes.calls.length = 0;
      fakes.arms.clear();
      fakes.maxInFlight = {};
      fakes.behaviour = defaults();
    },
  };
  const inFlight: Record<string, number> = {};
  const rec =
    <A extends unknown[], R>(name: string, fn: (...a: A) => R | Promise<R>) =>
    async (...args: A): Promise<R> => {
      fakes.calls.push({ name, args });
      const running = (inFlight[name] ?? 0) + 1;
      inFlight[name] = running;
      fakes.maxInFlight[name] = Math.max(fakes.maxInFlight[name] ?? 0, running);
      try {
        await fakes.behaviour.hold(name);
        return await fn(...args);
      } finally {
        inFlight[name] = (inFlight[name] ?? 1) - 1;
      }
    };
  fakes.activities = {
    createPostRecord: rec('createPostRecord', async () => undefined),
    recordPostEvent: rec('recordPostEvent', async () => undefined),
    notifyAuthor: rec('notifyAuthor', async () => undefined),
    generateDraft: rec('generateDraft', async () => fakes.behaviour.draft()),
    chargeCredit: rec('chargeCredit', async () => {
      if (fakes.behaviour.credits <= 0) return { ok: false as const, balance: 0 };
      fakes.behaviour.credits -= 1;
      return { ok: true as const, balance: fakes.behaviour.credits };
    }),
    refundCredit: rec('refundCredit', async () => {
      fakes.behaviour.credits += 1;
      return { refunded: true };
    }),
    publishToTarget: rec('publishToTarget', async (input: { postId: string; target: Target; arm?: { version: number; fireAt: string } }) => {
      if (input.arm) {
        // As the real one: wait for the due time (a cancel ends the wait), then claim the arm.
        const ctx = Context.current();
        while (Date.now() < Date.parse(input.arm.fireAt)) {
          ctx.heartbeat();
          await ctx.sleep(Math.min(200, Date.parse(input.arm.fireAt) - Date.now()));
        }
        const key = `${input.postId}:${input.arm.version}`;
        if (!fakes.arms.has(key)) fakes.arms.set(key, 'fired');
        if (fakes.arms.get(key) === 'withdrawn') throw ApplicationFailure.create({ message: 'withdrawn', type: ARM_WITHDRAWN, nonRetryable: true });
      }
      const r = fakes.behaviour.publish(input.target);
      if (r instanceof Error) throw r;
      return r;
    }),
    withdrawArm: rec('withdrawArm', async (input: { postId: string; version: number }) => {
      const key = `${input.postId}:${input.version}`;
      if (!fakes.arms.has(key)) fakes.arms.set(key, 'withdrawn');
      return { withdrawn: fakes.arms.get(key) === 'withdrawn' };
    }),
    markPublishFailed: rec('markPublishFailed', async (input: { target: Target; error: string }) => ({
      key: 'k',
      target: input.target,
      outcome: 'failed' as const,
      error: input.error,
    })),
  };
  return fakes;
}
