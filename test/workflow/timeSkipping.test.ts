// Proof that time skipping works offline: the Java test server (built from Maven Central by
// `npm run tools`) fast-forwards a 7-day timer in well under a second of wall time.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createTimeSkippingEnv } from '../helpers/timeSkipping';
import { sleepsAWeek, WEEK_MS, waitsAWeekForWake, wakeSignal } from './fixtures/sleepy';

const DAY_MS = 24 * 60 * 60 * 1000;
const taskQueue = `time-skipping-${process.pid}-${Date.now()}`;

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;

const noop = () => {};
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => console.error(m) };

beforeAll(async () => {
  let bundle: WorkflowBundleWithSourceMap;
  [env, bundle] = await Promise.all([
    createTimeSkippingEnv(),
    bundleWorkflowCode({ workflowsPath: require.resolve('./fixtures/sleepy'), logger: quietLogger }),
  ]);
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  if (worker) {
    worker.shutdown();
    await running;
  }
  await env?.teardown();
});

const id = (name: string) => `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

test('the environment is the time-skipping test server', () => {
  expect(env.supportsTimeSkipping).toBe(true);
});

test('a 7-day sleep completes in seconds of wall time while the server clock moves 7 days', async () => {
  const serverBefore = await env.currentTimeMs();
  const wallStart = Date.now();

  const result = await env.client.workflow.execute(sleepsAWeek, { taskQueue, workflowId: id('sleeps-a-week') });

  const wallMs = Date.now() - wallStart;
  const serverAfter = await env.currentTimeMs();
  expect(result.outcome).toBe('slept');
  expect(result.endedAt - result.startedAt).toBeGreaterThanOrEqual(WEEK_MS);
  expect(serverAfter - serverBefore).toBeGreaterThanOrEqual(WEEK_MS);
  expect(wallMs).toBeLessThan(30_000);
});

test('without a signal, the 7-day wait runs out', async () => {
  const wallStart = Date.now();
  const result = await env.client.workflow.execute(waitsAWeekForWake, { taskQueue, workflowId: id('unwoken') });
  expect(result).toMatchObject({ outcome: 'slept' });
  expect(result.by).toBeUndefined();
  expect(result.endedAt - result.startedAt).toBeGreaterThanOrEqual(WEEK_MS);
  expect(Date.now() - wallStart).toBeLessThan(30_000);
});

test('a signal that arrives 2 days in, before the 7-day deadline, wakes the workflow', async () => {
  const wallStart = Date.now();
  const handle = await env.client.workflow.start(waitsAWeekForWake, { taskQueue, workflowId: id('woken') });
  await env.sleep('2 days'); // skips the server clock 2 days; the workflow's timer has 5 to go
  await handle.signal(wakeSignal, 'alice');
  const result = await handle.result();
  expect(result).toMatchObject({ outcome: 'woken', by: 'alice' });
  const waited = result.endedAt - result.startedAt;
  expect(waited).toBeGreaterThanOrEqual(2 * DAY_MS);
  expect(waited).toBeLessThan(WEEK_MS);
  expect(Date.now() - wallStart).toBeLessThan(30_000);
});
