// A process manager that stops `npm start` signals npm, and npm signals the shell it ran the script
// in; when that shell dies without passing the signal on, this process is reparented. Noticing the
// new parent is the one signal that always arrives, so the stack stops instead of running on orphaned.
export function stopWhenOrphaned(stop: () => void, everyMs = 500): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      stop();
    }
  }, everyMs);
  timer.unref();
}
