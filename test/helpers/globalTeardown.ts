import fs from 'node:fs';
import type { Service } from '../../core/process';

export default async function globalTeardown(): Promise<void> {
  const s = (globalThis as Record<string, unknown>).__postforgeTestServices as { ferret: Service; stripe: Service; dir: string } | undefined;
  if (!s) return;
  await Promise.all([s.ferret.stop(), s.stripe.stop()]);
  fs.rmSync(s.dir, { recursive: true, force: true });
}
