// Progress on stderr while a long step runs: one line that rewrites itself on a terminal, a line
// every few seconds otherwise (CI logs, jest), so a slow step never looks hung.
const tty = Boolean(process.stderr.isTTY);

export interface Progress {
  update(done: number, extra?: string): void;
  end(summary?: string): void;
}

export function log(msg: string): void {
  process.stderr.write(`${tty ? '\r\x1b[K' : ''}[bench] ${msg}\n`);
}

export function progress(label: string, total: number): Progress {
  const started = Date.now();
  let lastPrint = 0;
  let last = '';
  const line = (done: number, extra?: string) =>
    `[bench] ${label}: ${done}/${total}${extra ? ` ${extra}` : ''} (${((Date.now() - started) / 1000).toFixed(0)}s)`;
  return {
    update(done, extra) {
      last = line(done, extra);
      const now = Date.now();
      if (tty) {
        if (now - lastPrint > 200) {
          process.stderr.write(`\r\x1b[K${last}`);
          lastPrint = now;
        }
      } else if (now - lastPrint > 5000) {
        process.stderr.write(`${last}\n`);
        lastPrint = now;
      }
    },
    end(summary) {
      const text = summary ? `[bench] ${label}: ${summary} (${((Date.now() - started) / 1000).toFixed(1)}s)` : last;
      process.stderr.write(`${tty ? '\r\x1b[K' : ''}${text}\n`);
    },
  };
}
