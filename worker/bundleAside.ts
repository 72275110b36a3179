// Bundles workflows/ in a short-lived child process when no prebuilt bundle is given. Webpack run
// inside the worker left ~115 MiB of its heap and loaded modules behind for the worker's whole life
// (a fresh idle worker: 380 MiB RSS bundling in-process, 265 MiB with a bundle file; `npm run bench`,
// memory). In a child that memory goes back to the system when the child exits.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BUNDLER = path.resolve(__dirname, '../scripts/bundle-workflows.ts');

/** Writes a fresh workflow bundle to a private temp file and returns its path. */
export async function bundleWorkflowsAside(timeoutMs = 120_000): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postforge-workflows-'));
  const out = path.join(dir, 'workflow-bundle.js');
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', BUNDLER, out], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (b: Buffer) => output.push(b.toString()));
    child.stderr.on('data', (b: Buffer) => output.push(b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  if (code !== 0 || !fs.existsSync(out)) throw new Error(`bundling the workflows failed (exit ${code}):\n${output.join('').trim()}`);
  return out;
}
