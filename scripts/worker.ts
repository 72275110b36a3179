// `npm run worker`: the worker process alone, started with the settings it must have in its
// environment from the start (worker/launchEnv.ts). Its exit code is this one's.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { workerLaunchEnv } from '../worker/launchEnv';

const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'apps', 'worker.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: workerLaunchEnv(process.env),
});
// A terminal's Ctrl-C (SIGINT) and hang-up reach the worker directly: it is in this process group.
// Passing them on as well would be a second signal, which the SDK no longer handles once it is
// shutting down (a hard exit). A process manager's SIGTERM is sent to this pid only, so it is passed on.
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
