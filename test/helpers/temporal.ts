// The real Temporal dev server for one test file, on a free port, from the binary we built.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { toolPaths } from './tools';

let runtimeInstalled = false;
/** The SDK's runtime logs at WARN in tests; it can be installed once per process. */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // A test file earlier in this jest worker already installed (or used) the runtime: keep that one.
  }
}

export async function startTemporal(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: toolPaths.temporal() },
      ip: '127.0.0.1',
      extraArgs: ['--dynamic-config-value', 'frontend.enableServerVersionCheck=false'],
    },
  });
}
