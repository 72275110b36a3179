// The workflow thread's heap settings reach the isolate started inside withWorkflowThreadHeap, and
// only that one: a thread started afterwards (or the main thread) keeps V8's defaults.
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { withWorkflowThreadHeap } from '../../worker/workflowThreadHeap';

/** Starts a thread, lets it allocate, and reads its heap limit and largest new space (MB) once it answers. */
function threadHeap(): Promise<{ limitMb: number; newSpaceMb: number }> {
  const code = `
    const v8 = require('node:v8');
    const { parentPort } = require('node:worker_threads');
    let keep = [];
    for (let i = 0; i < 3e6; i++) { keep.push({ i }); if (keep.length > 1000) keep = []; }
    const newSpace = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    parentPort.postMessage({ limitMb: v8.getHeapStatistics().heap_size_limit / 1048576, newSpaceMb: newSpace.space_size / 1048576 });
  `;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true });
    w.once('message', (m: { limitMb: number; newSpaceMb: number }) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

it('a thread started inside gets the old-space and semi-space limits; one started after gets the defaults again', async () => {
  const mainLimit = v8.getHeapStatistics().heap_size_limit / 1048576;
  const inside = await withWorkflowThreadHeap({ oldSpaceMb: 200, semiSpaceMb: 1 }, threadHeap);
  // The limit is old space plus the young generation.
  expect(inside.limitMb).toBeGreaterThanOrEqual(200);
  expect(inside.limitMb).toBeLessThan(220);
  expect(inside.newSpaceMb).toBeLessThanOrEqual(2);

  const after = await threadHeap();
  expect(after.limitMb).toBeGreaterThan(1000);
  expect(after.newSpaceMb).toBeGreaterThan(2);
  expect(v8.getHeapStatistics().heap_size_limit / 1048576).toBe(mainLimit);
});

it('with both at 0 it changes nothing', async () => {
  const t = await withWorkflowThreadHeap({ oldSpaceMb: 0, semiSpaceMb: 0 }, threadHeap);
  expect(t.limitMb).toBeGreaterThan(1000);
});

it('puts the defaults back when the thread fails to start', async () => {
  await expect(withWorkflowThreadHeap({ oldSpaceMb: 200, semiSpaceMb: 1 }, () => Promise.reject(new Error('no server')))).rejects.toThrow('no server');
  expect((await threadHeap()).limitMb).toBeGreaterThan(1000);
});
