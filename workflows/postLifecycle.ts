// One post, from words to published: generate → charge → (approve) → wait → publish → (refund).
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { PostStatus, TargetResult } from '../core/domain';
import { ARM_WITHDRAWN, charLimitFor, composeText } from '../core/postRules';
import type { Activities } from '../worker/activities';
import type { Milestone, NotifyChannel } from '../worker/activities/notify';
import {
  approveUpdate,
  cancelUpdate,
  connectionRestoredSignal,
  discardUpdate,
  editUpdate,
  regenerateUpdate,
  rescheduleUpdate,
  statusQuery,
  type EditInput,
} from './messages';
import type { PostLifecycleInput, PostState } from '../core/lifecycle';

// Timeouts bound how long a post waits after its worker dies mid-activity (measured by the
// bench's kill run: 60 s for an in-flight publish before). Quick activities are one or two writes.
const quick = proxyActivities<Activities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});
const generation = proxyActivities<Activities>({
  // The SDK retries rate limits itself (up to 3 times, 60 s each) inside one attempt.
  startToCloseTimeout: '5m',
  retry: { initialInterval: '2s', maximumInterval: '1m', maximumAttempts: 6 },
});
const publishing = proxyActivities<Activities>({
  startToCloseTimeout: '1m',
  // The activity heartbeats while its request is out, so a dead worker is noticed in seconds.
  heartbeatTimeout: '10s',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '5m', maximumAttempts: 10 },
});
/**
 * An armed send waits in its activity through the lead. Its heartbeat timeout is how late a worker
 * that died during the lead is noticed (and the send retried); at 60 s the SDK sends each armed
 * activity's heartbeat about every 48 s, so 5,000 armed posts cost the server ~100 heartbeats a second.
 */
function armedPublishing(leadMs: number) {
  return proxyActivities<Activities>({
    startToCloseTimeout: leadMs + 5 * 60_000,
    heartbeatTimeout: Math.min(60_000, Math.max(2_000, Math.floor(leadMs / 2))),
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m', maximumAttempts: 10 },
  });
}

export interface LifecycleOptions {
  draftExpiryMs: number;
  /** How long a post paused on an expired connection waits for the author to reconnect. */
  pauseLimitMs: number;
  notify: NotifyChannel;
  /** Regenerations one credit pays for (MAX_FREE_REGENERATIONS); unset (posts started before it existed) means 3. */
  maxFreeRegenerations?: number;
  /** PUBLISH_ARM_LEAD: wake this long before the due time and hand the send to a worker-side timer; unset or 0: send at the due time. */
  armLeadMs?: number;
}

const EDITABLE: PostStatus[] = ['draft', 'scheduled'];
const CANCELABLE: PostStatus[] = ['generating', 'draft', 'scheduled'];
/** What a handler changed that the main flow, the post document's one writer, has yet to record. */
type Change = 'edited' | 'regenerated';

/** The patches a post started today takes at once through its one marker (`patches-through-due-skips-scheduled`, before it `patches-through-send-due-now`). */
type Patch = 'skip-notify-none' | 'one-writer' | 'api-set-up' | 'arm-early' | 'arm-at-once' | 'send-due-now';

export async function postLifecycle(input: PostLifecycleInput & LifecycleOptions): Promise<PostState> {
  // Every `patched()` marker also upserts the TemporalChangeVersion search attribute: a history
  // event and a visibility write on the server. A post took four (bench: lifecycle throughput, 37
  // history events against the bare workflow's 29), so a post started now records one marker that
  // stands for every patch below; histories recorded before it still meet each patch where it was.
  // The newest one also stands for `due-skips-scheduled` (a second marker per post would have cost
  // that change a visibility write of its own); a history with the one before it is replayed with it.
  const newest = patched('patches-through-due-skips-scheduled');
  const current = newest || patched('patches-through-send-due-now');
  const has = (id: Patch): boolean => current || patched(id);
  const maxChars = charLimitFor(input.targets);
  const state: PostState = {
    postId: input.postId,
    status: input.text === undefined ? 'generating' : 'scheduled',
    ...(input.text !== undefined ? { content: input.text } : {}),
    hashtags: input.hashtags ?? [],
    scheduledAt: input.scheduledAt,
    results: [],
  };
  // A post paid by its interactive draft, or whose credit the API took at create, has its credit from
  // the start, so any cancel or failure refunds it.
  let charged = Boolean(input.chargeKey) || input.creditReserved === true;
  let approved = !input.requireApproval;
  let discarded = false;
  let canceled = false;
  let rescheduled = false;
  let reconnected = false;
  let paused = false;
  let regenerating = false;
  let regenerations = 0;
  const maxRegenerations = input.maxFreeRegenerations ?? 3;
  /** Set when the workflow has decided how the post ends; from then on every Update is refused with it. */
  let ending: string | undefined;
  const unrecorded = new Set<Change>();
  let writesStarted = 0;
  let writesDone = 0;
  /** The armed send now out (its version), if any; a change must withdraw it before it is accepted. */
  let armedVersion: number | undefined;
  let armsMade = 0;
  /** Every armed version up to this one was withdrawn by a change. */
  let withdrawnUpTo = 0;

  const record = async (status: PostStatus, event: string, extra: { detail?: string; milestone?: Milestone; message?: string } = {}) => {
    state.status = status;
    const write = ++writesStarted;
    await quick.recordPostEvent({
      postId: input.postId,
      accountId: input.accountId,
      status,
      event,
      ...(extra.detail ? { detail: extra.detail } : {}),
      patch: {
        ...(state.content !== undefined ? { content: state.content } : {}),
        hashtags: state.hashtags,
        ...(state.bestTime ? { bestTime: state.bestTime } : {}),
        ...(state.generator ? { generator: state.generator } : {}),
        scheduledAt: state.scheduledAt,
        results: state.results,
        ...(state.reason ? { reason: state.reason } : {}),
      },
    });
    writesDone = write;
    // Nobody listens on `none` (API and extension posts poll): skipping the activity saves two of a
    // post's nine activities (bench: lifecycle throughput). Histories written before still call it.
    if (extra.milestone && (input.notify.kind !== 'none' || !has('skip-notify-none'))) {
      await quick.notifyAuthor({ postId: input.postId, channel: input.notify, milestone: extra.milestone, message: extra.message ?? event });
    }
  };

  // A new draft is news only while the post is still a draft (it may be approved before it is written).
  const recordChange = (change: Change) =>
    change === 'regenerated' && state.status === 'draft'
      ? record(state.status, 'regenerated', { milestone: 'drafted', message: 'A new draft is ready.' })
      : record(state.status, change);
  async function recordChanges() {
    // A canceled post's last record carries everything; nothing is written in between.
    if (canceled || discarded) unrecorded.clear();
    for (const change of unrecorded) {
      unrecorded.delete(change);
      await recordChange(change);
    }
  }
  /**
   * Handlers change the state and leave the write to the main flow, so two writes never race. The
   * Update still answers once the document has the change (or the post is ending), as before:
   * callers read the post right after.
   */
  async function changed(change: Change) {
    // Posts started before one-writer wrote from the handler: they keep doing so to replay.
    if (!has('one-writer')) return recordChange(change);
    const since = writesStarted;
    unrecorded.add(change);
    await condition(() => writesDone > since || ending !== undefined);
  }

  const fits = (content: string, hashtags: string[]) => composeText(content, hashtags).length <= maxChars;
  const notEnding = () => {
    if (ending) throw new Error(ending);
  };
  /**
   * Takes back the armed send before a change is accepted, through the same insert-once key the
   * worker claims before sending: either the change wins (the send never goes out) or the send won
   * and the change is refused as too late. Nothing in between.
   */
  async function withdrawArmed(): Promise<void> {
    const version = armedVersion;
    if (version === undefined) return;
    const { withdrawn } = await quick.withdrawArm({ postId: input.postId, version });
    if (!withdrawn)
      throw ApplicationFailure.create({ message: 'Too late: this post is being published right now, so it can no longer change.', nonRetryable: true });
    withdrawnUpTo = Math.max(withdrawnUpTo, version);
  }

  // Queries and Updates. Validators are synchronous and reject what the state does not allow, so a
  // rejected update never reaches the workflow's history.
  setHandler(statusQuery, () => state);

  setHandler(
    approveUpdate,
    () => {
      approved = true;
      state.status = 'scheduled';
      return state;
    },
    {
      validator: () => {
        notEnding();
        mustBe(state.status, ['draft'], 'approve');
      },
    },
  );

  setHandler(
    editUpdate,
    async (edit: EditInput) => {
      if (armedVersion !== undefined) await withdrawArmed();
      if (edit.content !== undefined) state.content = edit.content;
      if (edit.hashtags !== undefined) state.hashtags = edit.hashtags;
      await changed('edited');
      return state;
    },
    {
      validator: (edit: EditInput) => {
        notEnding();
        mustBe(state.status, EDITABLE, 'edit');
        if (regenerating) throw new Error('A new draft is being written; edit it once it is ready.');
        if (edit.content === undefined && edit.hashtags === undefined) throw new Error('Nothing to edit: send content and/or hashtags.');
        if (edit.content !== undefined && edit.content.trim() === '') throw new Error('The text cannot be empty.');
        const content = edit.content ?? state.content ?? '';
        if (!fits(content, edit.hashtags ?? state.hashtags))
          throw new Error(`The text is too long: at most ${maxChars} characters including hashtags for these targets.`);
      },
    },
  );

  // One at a time (the validator refuses while one runs), and only into a draft still under review:
  // a new draft that arrives after approve, discard, cancel or expiry is dropped.
  setHandler(
    regenerateUpdate,
    async ({ instructions }: { instructions?: string }) => {
      regenerating = true;
      regenerations += 1;
      try {
        const draft = await writeDraft(instructions);
        if (state.status !== 'draft' || ending) {
          const what = discarded || canceled ? 'canceled' : approved ? 'approved' : 'expired';
          throw ApplicationFailure.create({ message: `The draft was ${what} while a new draft was being written, so the new draft was dropped.` });
        }
        useDraft(draft);
      } finally {
        regenerating = false;
      }
      await changed('regenerated');
      return state;
    },
    {
      validator: (_req: { instructions?: string }) => {
        notEnding();
        mustBe(state.status, ['draft'], 'regenerate');
        if (!input.topic) throw new Error('This post was written by hand, so there is nothing to regenerate from. Edit it instead.');
        if (regenerating) throw new Error('A new draft is already being written; wait for it.');
        if (regenerations >= maxRegenerations) {
          throw new Error(
            `This draft was already regenerated ${regenerations} times, the most one post includes. Edit the text, or discard it and start a new post.`,
          );
        }
      },
    },
  );

  setHandler(
    discardUpdate,
    () => {
      discarded = true;
      state.status = 'canceled';
      return state;
    },
    {
      validator: () => {
        notEnding();
        mustBe(state.status, ['draft'], 'discard');
      },
    },
  );

  setHandler(
    rescheduleUpdate,
    ({ scheduledAt }) => {
      const apply = () => {
        state.scheduledAt = new Date(scheduledAt).toISOString();
        rescheduled = true;
        return state;
      };
      // Unarmed, the answer stays synchronous, as recorded histories have it.
      return armedVersion === undefined ? apply() : withdrawArmed().then(apply);
    },
    {
      validator: ({ scheduledAt }) => {
        notEnding();
        mustBe(state.status, EDITABLE, 'reschedule');
        const at = Date.parse(scheduledAt);
        if (Number.isNaN(at)) throw new Error(`"${scheduledAt}" is not a date-time. Send an ISO-8601 instant like 2026-12-01T09:00:00Z.`);
        if (at <= Date.now()) throw new Error('That time is in the past. Pick a time in the future.');
      },
    },
  );

  setHandler(
    cancelUpdate,
    () => {
      const apply = () => {
        canceled = true;
        // The answer is the post as it will end; the refund and the record follow in the main flow.
        state.status = 'canceled';
        return state;
      };
      return armedVersion === undefined ? apply() : withdrawArmed().then(apply);
    },
    {
      validator: () => {
        notEnding();
        if (!paused) return mustBe(state.status, CANCELABLE, 'cancel');
        // Paused on an expired connection: cancelable (and refunded) unless part of it is already out.
        const out = state.results.filter((r) => r.outcome === 'published' || r.outcome === 'unconfirmed').map((r) => r.key);
        if (out.length)
          throw new Error(`This post is already published to ${out.join(', ')}, so it cannot be canceled; the paused targets give up when the pause runs out.`);
      },
    },
  );

  setHandler(connectionRestoredSignal, () => {
    reconnected = true;
  });

  function writeDraft(instructions?: string) {
    return generation.generateDraft({
      topic: input.topic ?? '',
      tone: input.tone,
      language: input.language,
      ...((instructions ?? input.instructions) ? { instructions: instructions ?? input.instructions } : {}),
      maxChars,
    });
  }
  function useDraft(draft: Awaited<ReturnType<typeof writeDraft>>) {
    state.content = draft.content;
    state.hashtags = draft.hashtags;
    state.bestTime = draft.bestTime;
    state.generator = draft.generator;
  }

  async function finish(status: 'published' | 'failed' | 'canceled', reason: string | undefined, milestone: Milestone, message: string) {
    ending ??=
      milestone === 'expired'
        ? 'This draft expired: nobody approved it in time. Start a new post.'
        : `This post is finishing (${status}); it can no longer change.`;
    if (reason) state.reason = reason;
    if (status !== 'published' && charged) {
      await quick.refundCredit({
        accountId: input.accountId,
        postId: input.postId,
        reason: `Refund: ${reason ?? status}`,
        ...(input.chargeKey ? { chargeKey: input.chargeKey } : {}),
      });
      state.refunded = true;
    }
    await record(status, status, { milestone, message: state.refunded ? `${message} Your credit was refunded.` : message });
  }

  try {
    // What the API already did before starting the workflow (insert the document, take the credit)
    // is not done again: 2 of an API post's 6 activities and their FerretDB round trips (bench:
    // lifecycle throughput). Histories without the marker still run both steps.
    const startedSetUp = input.recordCreated === true && input.creditReserved === true && has('api-set-up');
    if (!startedSetUp) await quick.createPostRecord(input);

    if (input.text === undefined) useDraft(await writeDraft());
    if (canceled) {
      // Canceled while the draft was being written: refunded if the credit was taken at create.
      await finish('canceled', 'canceled by the author.', 'canceled', 'The post was canceled.');
      return state;
    }

    const charge = startedSetUp
      ? { ok: true }
      : await quick.chargeCredit({ accountId: input.accountId, postId: input.postId, ...(input.chargeKey ? { chargeKey: input.chargeKey } : {}) });
    if (!charge.ok) {
      await finish(
        'failed',
        'no_credits: this account has no credits left. Buy a pack with /postforge credits, /credits or POST /v1/checkout.',
        'failed',
        'No credits left, so nothing was published. Buy more credits and try again.',
      );
      return state;
    }
    charged = true;
    if (canceled) {
      await finish('canceled', 'canceled by the author.', 'canceled', 'The post was canceled.');
      return state;
    }

    if (!approved) {
      await record('draft', 'drafted', { milestone: 'drafted', message: 'Your draft is ready for review.' });
      const decided = () => approved || discarded || canceled;
      const expiresAt = Date.now() + input.draftExpiryMs;
      // Edits and regenerations wake the wait to be recorded; the expiry stays where it was. (The
      // first condition runs even when already decided: its timer's sequence number is in histories.)
      for (;;) {
        const woke = await condition(() => decided() || unrecorded.size > 0, Math.max(0, expiresAt - Date.now()));
        // An approval that lands with the expiry timer wins: it was accepted.
        if (!woke && !decided()) {
          await finish('canceled', 'expired: nobody approved the draft in time.', 'expired', 'The draft expired without approval.');
          return state;
        }
        await recordChanges();
        if (decided()) break;
      }
      if (discarded || canceled) {
        await finish('canceled', discarded ? 'discarded by the author.' : 'canceled by the author.', 'canceled', 'The post was discarded.');
        return state;
      }
    }

    // A post for "now" that nobody is notified about (API, extension) and that is due when it gets
    // here goes straight on to its send (below): its document goes from `generating` (or its
    // creation's `scheduled`) to `published` without the transient `scheduled` write, one activity,
    // one workflow task and two FerretDB writes per post (bench: lifecycle throughput). Only posts
    // started with the newest marker take it (every patch it builds on is on for them); histories
    // recorded before it wrote the status.
    const sendsAtOnce =
      newest &&
      (input.armLeadMs ?? 0) > 0 &&
      input.notify.kind === 'none' &&
      !input.requireApproval &&
      Date.parse(state.scheduledAt) <= Date.now() &&
      unrecorded.size === 0 &&
      !canceled &&
      !rescheduled;
    if (!sendsAtOnce) {
      await record('scheduled', approved && input.requireApproval ? 'approved' : 'scheduled', {
        milestone: 'scheduled',
        message: `Scheduled for ${state.scheduledAt}.`,
      });
    }
    const leadMs = input.armLeadMs ?? 0;
    // Posts started before arming (or with it off) wake at the due time and send then.
    const arming = leadMs > 0 && has('arm-early');
    let text: string;
    if (arming) {
      // A reschedule or edit during the wait (or the lead: it withdraws the armed send) re-arms; a cancel ends it.
      for (;;) {
        const wakeInMs = Math.max(0, Date.parse(state.scheduledAt) - leadMs - Date.now());
        const changes = () => rescheduled || canceled || unrecorded.size > 0;
        // Already due (a post for "now"): nothing is left to arm for, so it is sent at once on the
        // plain path, without the armed attempt's write, the arm claim and the completion pacing
        // (bench: lifecycle throughput). Recorded histories of such posts armed them.
        if (Date.parse(state.scheduledAt) <= Date.now() && !changes() && has('send-due-now')) {
          // From here on the post takes no edit or reschedule, as when an armed send fires.
          state.status = 'publishing';
          text = composeText(state.content ?? '', state.hashtags);
          state.results = await Promise.all(input.targets.map((target) => publishOne({ target, text })));
          break;
        }
        // Due within the lead already: arm at once. A zero wait still cost a timer
        // and a workflow task round trip per post (bench: lifecycle throughput); recorded histories keep theirs.
        const interrupted = wakeInMs > 0 || !has('arm-at-once') ? await condition(changes, wakeInMs) : changes();
        if (canceled) {
          await finish('canceled', 'canceled by the author.', 'canceled', 'The post was canceled.');
          return state;
        }
        if (interrupted) {
          await recordChanges();
          if (rescheduled) {
            rescheduled = false;
            await record('scheduled', 'rescheduled', { detail: state.scheduledAt, milestone: 'updated', message: `Rescheduled for ${state.scheduledAt}.` });
          }
          continue;
        }
        text = composeText(state.content ?? '', state.hashtags);
        const results = await armAndFire(text, leadMs);
        if (results) {
          state.results = results;
          break;
        }
      }
    } else {
      // A reschedule restarts the wait with the new time; a cancel ends it.
      for (;;) {
        const interrupted = await condition(() => rescheduled || canceled || unrecorded.size > 0, Math.max(0, Date.parse(state.scheduledAt) - Date.now()));
        if (canceled) {
          await finish('canceled', 'canceled by the author.', 'canceled', 'The post was canceled.');
          return state;
        }
        if (!interrupted) break;
        await recordChanges();
        if (!rescheduled) continue;
        rescheduled = false;
        await record('scheduled', 'rescheduled', { detail: state.scheduledAt, milestone: 'updated', message: `Rescheduled for ${state.scheduledAt}.` });
      }

      await recordChanges();
      await record('publishing', 'publishing');
      text = composeText(state.content ?? '', state.hashtags);
      state.results = await Promise.all(input.targets.map((target) => publishOne({ target, text })));
    }

    // A paused target (expired connection) waits for the author to reconnect, then goes again.
    // While paused the author may cancel, which refunds.
    if (state.results.some((r) => r.outcome === 'paused')) {
      paused = true;
      await record('publishing', 'paused', { milestone: 'paused', message: state.results.find((r) => r.outcome === 'paused')?.error ?? 'Paused.' });
      const back = await condition(() => reconnected || canceled, input.pauseLimitMs);
      paused = false;
      if (canceled) {
        await finish('canceled', 'canceled by the author while it waited for a reconnect.', 'canceled', 'The post was canceled.');
        return state;
      }
      if (back) {
        state.results = await Promise.all(state.results.map((r) => (r.outcome === 'paused' ? publishOne({ target: r.target, text }) : Promise.resolve(r))));
      }
      state.results = state.results.map((r) => (r.outcome === 'paused' ? { ...r, outcome: 'failed' as const } : r));
    }

    const delivered = state.results.filter((r) => r.outcome === 'published' || r.outcome === 'unconfirmed');
    const failed = state.results.filter((r) => r.outcome === 'failed');
    if (delivered.length === 0) {
      await finish('failed', `publish_failed: ${failed.map((r) => `${r.key}: ${r.error ?? 'failed'}`).join('; ')}`, 'failed', 'Publishing failed.');
      return state;
    }
    const unconfirmed = state.results.filter((r) => r.outcome === 'unconfirmed');
    const notes = [
      ...failed.map((r) => `${r.key} failed: ${r.error ?? 'unknown error'}`),
      ...unconfirmed.map((r) => `${r.key} unconfirmed: ${r.error ?? 'check it by hand'}`),
    ];
    if (notes.length) state.reason = notes.join('; ');
    await record('published', 'published', {
      milestone: unconfirmed.length ? 'unconfirmed' : 'published',
      message: notes.length ? `Published, with problems: ${notes.join('; ')}` : 'Published.',
    });
    return state;
  } catch (err) {
    // Compensation must run even when the workflow itself was cancelled.
    await CancellationScope.nonCancellable(async () => {
      // An armed send is taken back first; if it already went out, the credit was spent on it.
      if (armedVersion !== undefined) {
        const { withdrawn } = await quick.withdrawArm({ postId: input.postId, version: armedVersion });
        if (!withdrawn) charged = false;
        armedVersion = undefined;
      }
      const reason = isCancellation(err) ? 'canceled: the workflow was cancelled.' : `error: ${describe(err)}`;
      await finish(
        isCancellation(err) ? 'canceled' : 'failed',
        reason,
        isCancellation(err) ? 'canceled' : 'failed',
        `The post could not be completed (${reason}).`,
      );
    });
    if (isCancellation(err)) throw err;
    return state;
  } finally {
    await condition(allHandlersFinished);
  }

  /**
   * Hands the send to the worker a lead before the due time: each target's activity prepares, waits
   * in-process and sends at the due instant. Undefined when a change withdrew it (the caller's loop
   * then records the change and arms again).
   */
  async function armAndFire(text: string, leadMs: number): Promise<TargetResult[] | undefined> {
    // A change accepted in the same activation as the wake-up, before anything was armed.
    if (rescheduled || canceled || unrecorded.size > 0) return undefined;
    const version = ++armsMade;
    armedVersion = version;
    const arm = { version, fireAt: state.scheduledAt };
    const activities = armedPublishing(leadMs);
    const scope = new CancellationScope();
    const sends = scope.run(() => Promise.all(input.targets.map((target) => publishOne({ target, text }, { activities, arm }))));
    const withdrawnNow = () => withdrawnUpTo >= version;
    const outcome = await Promise.race([
      sends.then(
        (results) => ({ results }),
        async (err) => {
          // Withdrawn: the change that did it finishes its own Update; wait for it to say so.
          if (isArmWithdrawn(err)) {
            await condition(withdrawnNow);
            return { withdrawn: true as const };
          }
          if (withdrawnNow() && isCancellation(err)) return { withdrawn: true as const };
          throw err;
        },
      ),
      condition(withdrawnNow).then(() => ({ withdrawn: true as const })),
    ]);
    armedVersion = undefined;
    if ('results' in outcome) {
      // Fired: from here on the post takes no edit or reschedule (a change racing this answer found the claim `fired`).
      state.status = 'publishing';
      return outcome.results;
    }
    scope.cancel();
    sends.catch(() => undefined);
    return undefined;
  }

  async function publishOne(
    call: { target: PostLifecycleInput['targets'][number]; text: string },
    armed?: { activities: typeof publishing; arm: { version: number; fireAt: string } },
  ): Promise<TargetResult> {
    const req = { postId: input.postId, accountId: input.accountId, authorId: input.authorId, target: call.target, text: call.text };
    try {
      return armed ? await armed.activities.publishToTarget({ ...req, arm: armed.arm }) : await publishing.publishToTarget(req);
    } catch (err) {
      if (isCancellation(err) || isArmWithdrawn(err)) throw err;
      return quick.markPublishFailed({ ...req, error: `gave up after retries: ${describe(err)}` });
    }
  }
}

function mustBe(status: PostStatus, allowed: PostStatus[], action: string): void {
  if (!allowed.includes(status)) {
    throw new Error(`Cannot ${action} a post that is ${status}; only when it is ${allowed.join(' or ')}.`);
  }
}

function isArmWithdrawn(err: unknown): boolean {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === ARM_WITHDRAWN;
}

function describe(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return describe(err.cause);
  if (err instanceof ApplicationFailure) return err.message;
  return err instanceof Error ? err.message : String(err);
}
