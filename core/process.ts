// Running the local servers as child processes: free ports, readiness, and clean stops.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** Runs a process's main, printing a failure as one line instead of a stack. */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(`[${name}] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export async function portAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

export interface Service {
  name: string;
  child: ChildProcess;
  /** The last lines it printed, for error messages. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function startService(
  name: string,
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; onLine?: (line: string) => void } = {},
): Service {
  const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const take = (buf: Buffer) => {
    for (const line of buf.toString().split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 50) lines.shift();
      opts.onLine?.(line);
    }
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    child,
    output: () => lines.join('\n'),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until `ready()` holds, failing early (with its output) if the process dies first. */
export async function waitUntilReady(svc: Service, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (svc.child.exitCode !== null) {
      throw new Error(`${svc.name} exited with code ${svc.child.exitCode} before it was ready:\n${svc.output()}`);
    }
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${svc.name} was not ready after ${Math.round(timeoutMs / 1000)}s:\n${svc.output()}`);
}
