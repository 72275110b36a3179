// The real Temporal dev server for one test file, on a free port, from the binary we built.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { toolPaths } from './tools';

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
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
