// Debian's redis-server on a free port, in memory only, for the BullMQ baseline.
import { spawnSync } from 'node:child_process';
import { freePort, portAnswers, startService, waitUntilReady, type Service } from '../../core/process';
import { reapOnExit } from '../child';

export class RedisMissing extends Error {}

export function redisVersion(): string {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new RedisMissing(
      'redis-server is not installed, so the BullMQ baseline cannot run. Install it (Debian/Ubuntu: `apt-get install redis-server`; .ci/run does this), or pass --no-bullmq.',
    );
  }
  return /v=(\S+)/.exec(r.stdout)?.[1] ?? r.stdout.trim();
}

export async function startRedis(dir: string): Promise<Service & { port: number }> {
  redisVersion();
  const port = await freePort();
  // No persistence: the baseline kills the worker, never Redis, and a dump file would only litter.
  const svc = startService('redis-server', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]);
  reapOnExit(svc.child);
  await waitUntilReady(svc, () => portAnswers(port), 20_000);
  return Object.assign(svc, { port });
}
