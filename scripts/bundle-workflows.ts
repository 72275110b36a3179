// Builds the workflow bundle once, ahead of time, so a production worker starts without webpacking
// workflows/ at every start (seconds of CPU and ~100 MB) and runs exactly the code that was shipped.
//   tsx scripts/bundle-workflows.ts [out-file]     (default dist/workflow-bundle.js)
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../worker/createWorker';

async function main(): Promise<void> {
  const arg = process.argv[2];
  if (arg === '--help' || arg === '-h') {
    process.stdout.write(
      'Usage: tsx scripts/bundle-workflows.ts [out-file]\n\nWrites the workflow bundle (default dist/workflow-bundle.js); set WORKFLOW_BUNDLE to it for the worker.\n',
    );
    return;
  }
  const out = path.resolve(arg ?? 'dist/workflow-bundle.js');
  const started = Date.now();
  const quiet = () => {};
  const { code } = await bundleWorkflowCode({
    workflowsPath: workflowsPath(),
    logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) },
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
  process.stdout.write(`workflow bundle: ${out} (${Math.round(code.length / 1024)} KiB, ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
