// Waiting for a dependency that may still be starting (Temporal, MongoDB), saying what we wait for.
export async function waitFor<T>(what: string, attempt: () => Promise<T>, opts: { timeoutMs?: number; log?: (msg: string) => void } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let delay = 200;
  let said = 0;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() + delay > deadline) {
        throw new Error(`Gave up waiting for ${what}: ${(err as Error).message}`);
      }
      if (Date.now() - said > 5_000) {
        opts.log?.(`waiting for ${what} (${(err as Error).message})`);
        said = Date.now();
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 2_000);
    }
  }
}
