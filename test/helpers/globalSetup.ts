// Once per `jest` run: FerretDB and stripe-mock on free ports (each test file uses its own
// database), and the workflow bundle built once for every file's workers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { freePort } from '../../core/process';
import { startFerretDB, startStripeMock } from '../../scripts/embedded';
import { toolPaths } from './tools';

export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postforge-test-'));
  const ferret = await startFerretDB(toolPaths.ferretdb(), { port: await freePort(), dataDir: path.join(dir, 'ferretdb') });
  const stripe = await startStripeMock(toolPaths.stripeMock(), { port: await freePort() });
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, code);

  process.env.TEST_MONGODB_URI = ferret.uri;
  process.env.TEST_STRIPE_API_URL = stripe.url;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  (globalThis as Record<string, unknown>).__postforgeTestServices = { ferret, stripe, dir };
}

const noop = () => {};
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => console.error(m) };
