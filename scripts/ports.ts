// The ports `npm start` will listen on, each with the variable that moves it, checked before anything
// starts: a busy port found halfway through left the first servers running and named no way out.
import type { Config } from '../core/config';
import { portAnswers } from '../core/process';

export interface PlannedPort {
  port: number;
  variable: string;
  what: string;
}

export function portPlan(c: Config, temporalPort: number): PlannedPort[] {
  const embedded = new Set(c.EMBEDDED_SERVICES);
  const plan: PlannedPort[] = [];
  if (embedded.has('temporal')) {
    plan.push({ port: temporalPort, variable: 'TEMPORAL_ADDRESS', what: 'Temporal dev server' });
    if (c.TEMPORAL_UI_PORT) plan.push({ port: c.TEMPORAL_UI_PORT, variable: 'TEMPORAL_UI_PORT', what: 'Temporal Web UI' });
  }
  if (embedded.has('ferretdb')) plan.push({ port: c.FERRETDB_PORT, variable: 'FERRETDB_PORT', what: 'FerretDB' });
  if (embedded.has('stripe-mock')) plan.push({ port: c.STRIPE_MOCK_PORT, variable: 'STRIPE_MOCK_PORT', what: 'stripe-mock' });
  plan.push({ port: c.API_PORT, variable: 'API_PORT', what: 'PostForge API' });
  return plan;
}

export async function busyPorts(plan: PlannedPort[]): Promise<PlannedPort[]> {
  const answers = await Promise.all(plan.map((p) => portAnswers(p.port)));
  return plan.filter((_, i) => answers[i]);
}
