// Temporal's time-skipping test server (the Java one from Maven Central, built by
// scripts/tools/temporalTestServer.mjs) for one test file. Timers jump forward whenever every
// workflow is blocked, so a 7-day sleep takes milliseconds. Environments are not safe to share
// between concurrently running workflows: create one per file in `beforeAll`.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { quietRuntime } from './temporal';
import { toolPaths } from './tools';

function testServerPath(): string {
  return toolPaths.testServer();
}

/**
 * Starts the test server on a free port and connects to it. Core waits a fixed 5 s (50 polls,
 * no option to change it) for the server to answer; the wrapper's JVM answers in about 0.3-0.5 s
 * thanks to the class archive recorded at build time (about 1-1.5 s without it). If a very busy
 * machine still misses the window, one retry is made, since the second JVM starts warm.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = testServerPath();
  quietRuntime();
  const create = () => TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  try {
    return await create();
  } catch (err) {
    if (!/did not start within/.test(String((err as Error)?.message))) throw err;
    console.warn(`The time-skipping test server did not answer within Core's 5 s; retrying once. (${(err as Error).message})`);
    try {
      return await create();
    } catch (again) {
      throw new Error(
        `The time-skipping test server at ${path} did not answer within Core's fixed 5 s, twice. Is the machine ` +
          `overloaded? Try \`${path} 7233\` by hand, or rebuild it with \`npm run tools\`. (${(again as Error).message})`,
      );
    }
  }
}
