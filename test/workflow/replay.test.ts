// Every recorded history (test/workflow/histories/<version>/<path>.json, recorded by record.ts)
// replays on today's workflow code. A change that alters the commands of a path some running post
// may be on fails here: put it behind `patched()` instead, and record the new version's histories.
import fs from 'node:fs';
import path from 'node:path';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { quietRuntime } from '../helpers/temporal';
import { historyFromJSON } from './histories/historyJson';

const root = path.join(__dirname, 'histories');
const files = fs
  .readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    fs
      .readdirSync(path.join(root, d.name))
      .filter((f) => f.endsWith('.json'))
      .map((f) => `${d.name}/${f}`),
  )
  .sort();

const results = new Map<string, ReplayResult>();

beforeAll(async () => {
  quietRuntime();
  const histories = files.map((f) => ({ workflowId: f, history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(root, f), 'utf8'))) }));
  const options = process.env.TEST_WORKFLOW_BUNDLE
    ? { workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE } }
    : { workflowsPath: require.resolve('../../workflows') };
  for await (const result of Worker.runReplayHistories(options, histories)) results.set(result.workflowId, result);
}, 120_000);

test('histories were recorded for every lifecycle path, including before the skip-notify-none patch', () => {
  const paths = [
    'published',
    'failed-refunded',
    'approved-after-edit',
    'expired',
    'rescheduled-after-edit',
    'canceled',
    'paused-reconnected',
    'paused-timed-out',
  ];
  for (const p of paths) expect(files).toContain(`main-9a22a53/${p}.json`);
  expect(files).toContain('before-skip-notify-none/published.json');
  expect(files).toContain('one-writer/paused-canceled.json');
});

test('histories were recorded for the armed path (patched arm-early): fired, and withdrawn by a reschedule, an edit, a cancel, a workflow cancel', () => {
  for (const p of ['armed-published', 'armed-rescheduled-in-lead', 'armed-edited-in-lead', 'armed-canceled-in-lead', 'armed-workflow-cancelled-in-lead']) {
    expect(files).toContain(`arm-early/${p}.json`);
    // The patch marker's id, as the history's payload carries it (base64 of the JSON string).
    expect(fs.readFileSync(path.join(root, `arm-early/${p}.json`), 'utf8')).toContain(Buffer.from('"arm-early"').toString('base64').replace(/=+$/, ''));
  }
});

/** The patch ids a recorded history's markers carry. */
function patchIds(file: string): string[] {
  const history = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as {
    events: { markerRecordedEventAttributes?: { details?: Record<string, { payloads?: { data?: string }[] }> } }[];
  };
  return history.events.flatMap((e) =>
    (e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? []).map(
      (p) => (JSON.parse(Buffer.from(p.data ?? '', 'base64').toString()) as { id: string }).id,
    ),
  );
}

test('histories were recorded as the API starts posts today (patched api-set-up), including a post armed at once (patched arm-at-once) and one sent at once (patched send-due-now)', () => {
  for (const p of ['published', 'failed-refunded', 'expired', 'canceled', 'paused-timed-out', 'armed-published', 'armed-canceled-in-lead']) {
    expect(patchIds(`api-set-up/${p}.json`)).toContain('api-set-up');
  }
  expect(patchIds('api-set-up/armed-at-once.json')).toEqual(expect.arrayContaining(['api-set-up', 'arm-early', 'arm-at-once']));
  // A post already due is sent on the plain path (patched send-due-now); the armed-at-once history still arms.
  expect(patchIds('api-set-up/sent-due-now.json')).toEqual(expect.arrayContaining(['api-set-up', 'arm-early', 'send-due-now']));
  expect(patchIds('api-set-up/sent-due-now.json')).not.toContain('arm-at-once');
  expect(patchIds('api-set-up/armed-at-once.json')).not.toContain('send-due-now');
  expect(patchIds('main-9a22a53/published.json')).not.toContain('api-set-up');
});

test('a post started today records one patch marker (patches-through-send-due-now) for every path, and one search attribute upsert', () => {
  const oneMarker = files.filter((f) => f.startsWith('one-marker/') || f.startsWith('one-marker-api-set-up/'));
  expect(oneMarker.length).toBeGreaterThanOrEqual(40);
  // (The SDK records patches of its own, `__sdk_internal_patch_number:N`, on some paths; they upsert nothing.)
  for (const f of oneMarker) expect(patchIds(f).filter((id) => !id.startsWith('__sdk_internal'))).toEqual(['patches-through-send-due-now']);
  for (const f of oneMarker) {
    const events = (JSON.parse(fs.readFileSync(path.join(root, f), 'utf8')) as { events: { eventType?: unknown }[] }).events;
    const upserts = events.filter((e) => /UPSERT_WORKFLOW_SEARCH_ATTRIBUTES|UpsertWorkflowSearchAttributes/.test(String(e.eventType)));
    // One for ours, and one more where the SDK recorded its own.
    expect(upserts).toHaveLength(patchIds(f).length);
  }
  expect(patchIds('one-marker-api-set-up/sent-due-now.json')).toEqual(['patches-through-send-due-now']);
  // Before it, a post for "now" carried four markers (and four upserts).
  expect(patchIds('api-set-up/sent-due-now.json')).toEqual(expect.arrayContaining(['api-set-up', 'skip-notify-none', 'arm-early', 'send-due-now']));
  expect(patchIds('api-set-up/sent-due-now.json')).toHaveLength(4);
});

test('posts started now record one marker that also skips the scheduled write of a post already due (patches-through-due-skips-scheduled), and keep it otherwise', () => {
  const dir = 'one-marker-due-skips-scheduled';
  const recorded = files.filter((f) => f.startsWith(`${dir}/`));
  expect(recorded.length).toBeGreaterThanOrEqual(20);
  // One marker, and one search attribute upsert, per post, as before the patch.
  for (const f of recorded) expect(patchIds(f).filter((id) => !id.startsWith('__sdk_internal'))).toEqual(['patches-through-due-skips-scheduled']);
  const activityTypes = (f: string) =>
    (
      JSON.parse(fs.readFileSync(path.join(root, f), 'utf8')) as {
        events: { activityTaskScheduledEventAttributes?: { activityType?: { name?: string }; input?: { payloads?: { data?: string }[] } } }[];
      }
    ).events
      .filter((e) => e.activityTaskScheduledEventAttributes)
      .map((e) => {
        const a = e.activityTaskScheduledEventAttributes!;
        const arg = JSON.parse(Buffer.from(a.input?.payloads?.[0]?.data ?? '', 'base64').toString() || '{}') as { status?: string };
        return a.activityType?.name === 'recordPostEvent' ? `record:${arg.status}` : (a.activityType?.name ?? '?');
      });
  // Due and nobody to tell: straight from the send to the outcome, whatever it is.
  expect(activityTypes(`${dir}/sent-due-now.json`)).toEqual(['generateDraft', 'publishToTarget', 'record:published']);
  expect(activityTypes(`${dir}/sent-due-now-failed-refunded.json`)).toEqual(['generateDraft', 'publishToTarget', 'refundCredit', 'record:failed']);
  expect(activityTypes(`${dir}/sent-due-now-paused-reconnected.json`)).not.toContain('record:scheduled');
  // The same path before the patch wrote `scheduled` first.
  expect(activityTypes('one-marker-api-set-up/sent-due-now.json')).toEqual(['generateDraft', 'record:scheduled', 'publishToTarget', 'record:published']);
  // Someone to tell, or not due yet: still recorded scheduled.
  for (const p of ['sent-due-now-notify-webhook', 'published', 'armed-at-once']) expect(activityTypes(`${dir}/${p}.json`)).toContain('record:scheduled');
});

test.each(files)('%s replays on the current workflow code', (file) => {
  const result = results.get(file);
  expect(result).toBeDefined();
  expect(result?.error?.message).toBeUndefined();
});
