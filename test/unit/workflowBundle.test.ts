// The workflow sandbox evaluates its bundle's modules again for every workflow it loads (the
// reusable V8 context keeps one module cache per workflow), so every package the workflows import
// is paid once per cached workflow, in memory and in start-up time. zod, pulled in through
// core/domain.ts, was 38% of the bundle; workflows import only zod-free modules (core/postRules.ts).
import { bundleWorkflowCode } from '@temporalio/worker';

const noop = () => {};
const quiet = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

test('the workflow bundle holds only the Temporal SDK and zod-free project modules', async () => {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quiet });
  const packages = new Set([...code.matchAll(/node_modules\/((?:@[a-z0-9-]+\/)?[a-z0-9.-]+)/g)].map((m) => m[1] ?? ''));
  // The SDK's own dependencies; anything else is a package every workflow would evaluate again.
  expect([...packages].sort()).toEqual(['@temporalio/common', '@temporalio/workflow', 'long', 'ms', 'nexus-rpc']);
  const projectModules = new Set([...code.matchAll(/"\.\/((?:core|workflows)\/[^"]+\.ts)"/g)].map((m) => m[1] ?? ''));
  expect([...projectModules].filter((m) => m.startsWith('core/')).sort()).toEqual(['core/ledgerKeys.ts', 'core/postRules.ts']);
}, 120_000);
