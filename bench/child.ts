// A TypeScript entry run as its own Node process (`node --import tsx`, so the pid is the process
// itself, not a tsx wrapper whose child would survive a kill -9), with its output kept for error
// messages, a wait for its "ready" line, a hard kill, and its resident memory from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');

export interface NodeChild {
  name: string;
  child: ChildProcess;
  pid: number;
  output(): string;
  /** Resolves when the process has exited (for whatever reason). */
  exited: Promise<void>;
  waitForLine(re: RegExp, timeoutMs: number): Promise<void>;
  /** kill -9: no shutdown hooks, in-flight work is lost exactly as in a crash. */
  kill9(): Promise<void>;
  /** SIGTERM, then SIGKILL after a grace period. */
  stop(graceMs?: number): Promise<void>;
  alive(): boolean;
  /** Resident set size in bytes (VmRSS), or NaN once it has exited. */
  rss(): number;
}

const living = new Set<ChildProcess>();
let reaperInstalled = false;

/**
 * Makes sure `child` dies with this process, whatever way this process ends (an exception, a
 * failed assertion in jest, Ctrl-C): a benchmark must never leave servers running behind it.
 */
export function reapOnExit(child: ChildProcess): void {
  living.add(child);
  child.once('exit', () => living.delete(child));
  if (reaperInstalled) return;
  reaperInstalled = true;
  process.once('exit', () => {
    for (const c of living) c.kill('SIGKILL');
  });
}

export function startNodeChild(name: string, entry: string, env: NodeJS.ProcessEnv, onLine?: (line: string) => void): NodeChild {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  reapOnExit(child);
  const lines: string[] = [];
  const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
  const take = (buf: Buffer) => {
    for (const line of buf.toString().split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 80) lines.shift();
      onLine?.(line);
      for (const w of [...waiters]) {
        if (w.re.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    }
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    child,
    pid: child.pid ?? -1,
    output: () => lines.join('\n'),
    exited,
    alive,
    waitForLine(re, timeoutMs) {
      if (lines.some((l) => re.test(l))) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} did not print ${re} within ${timeoutMs / 1000}s:\n${lines.join('\n')}`)), timeoutMs);
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (code ${child.exitCode ?? child.signalCode}) before it was ready:\n${lines.join('\n')}`));
        });
        waiters.push({
          re,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    async kill9() {
      if (!alive()) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 10_000) {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    rss: () => rssOf(child.pid),
  };
}

/** Resident set size of a process in bytes (VmRSS from /proc), NaN when it is gone or unknown. */
export function rssOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
