// creditPurchase histories recorded with the code from before #12 (granted then refunded, disputed,
// async payment, expired, compensated) must replay on today's code: purchases in flight across a
// deploy continue instead of failing with a nondeterminism error. Future changes to the workflow
// must keep these replaying (use patched() where the command sequence changes).
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { quietRuntime } from '../helpers/temporal';

const dir = path.join(__dirname, 'fixtures/creditPurchase');
const fixtures = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

beforeAll(() => quietRuntime());

it('has the recorded histories', () => {
  expect(fixtures).toEqual(['async-granted.json', 'compensated.json', 'expired.json', 'granted-disputed.json', 'granted-refunded.json']);
});

it.each(fixtures)('replays %s', async (file) => {
  // Saved as the client's fetchHistory() gave it (protobufjs JSON: enums by name, bytes base64).
  const history = temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>);
  await Worker.runReplayHistory(
    process.env.TEST_WORKFLOW_BUNDLE
      ? { workflowBundle: { codePath: process.env.TEST_WORKFLOW_BUNDLE } }
      : { workflowsPath: require.resolve('../../workflows') },
    history,
    `payment-${file}`,
  );
});
