// The embedded servers (FerretDB, stripe-mock, the Temporal dev server), started the same way by
// `npm start`, the tests and the benchmarks.
import fs from 'node:fs';
import { MongoClient } from 'mongodb';
import { freePort, portAnswers, startService, waitUntilReady, type Service } from '../core/process';

export async function startFerretDB(bin: string, opts: { port: number; dataDir: string; logLevel?: string }): Promise<Service & { uri: string }> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const svc = startService('FerretDB', bin, ['--listen-addr', `127.0.0.1:${opts.port}`, '--data-dir', opts.dataDir, '--log-level', opts.logLevel ?? 'error']);
  const uri = `mongodb://127.0.0.1:${opts.port}/?directConnection=true`;
  await waitUntilReady(svc, async () => {
    if (!(await portAnswers(opts.port))) return false;
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1000 });
    try {
      await client.db('admin').command({ ping: 1 });
      return true;
    } catch {
      return false;
    } finally {
      await client.close();
    }
  });
  return Object.assign(svc, { uri });
}

export async function startStripeMock(bin: string, opts: { port: number; httpsPort?: number }): Promise<Service & { url: string }> {
  // stripe-mock also opens HTTPS on 12112 unless told otherwise, which collides with a second copy.
  const httpsPort = opts.httpsPort ?? (await freePort());
  const svc = startService('stripe-mock', bin, ['-http-addr', `127.0.0.1:${opts.port}`, '-https-addr', `127.0.0.1:${httpsPort}`]);
  await waitUntilReady(svc, () => portAnswers(opts.port));
  return Object.assign(svc, { url: `http://127.0.0.1:${opts.port}` });
}

export async function startTemporalDevServer(
  bin: string,
  opts: { port: number; uiPort?: number; dbFile?: string; namespace?: string; synchronous?: 'FULL' | 'NORMAL' },
): Promise<Service & { address: string; uiUrl?: string }> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--namespace',
    opts.namespace ?? 'default',
    '--log-level',
    'warn',
    // Offline: the server would otherwise try to reach its version-check endpoint.
    '--dynamic-config-value',
    'frontend.enableServerVersionCheck=false',
    '--sqlite-pragma',
    'journal_mode=WAL',
    // Bench experiments: NORMAL is safe with WAL against process crashes (not power loss).
    ...(opts.synchronous ? ['--sqlite-pragma', `synchronous=${opts.synchronous}`] : []),
  ];
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  const svc = startService('Temporal', bin, args);
  await waitUntilReady(svc, async () => (await portAnswers(opts.port)) && (!opts.uiPort || (await portAnswers(opts.uiPort))), 90_000);
  return Object.assign(svc, { address: `127.0.0.1:${opts.port}`, ...(opts.uiPort ? { uiUrl: `http://127.0.0.1:${opts.uiPort}` } : {}) });
}
