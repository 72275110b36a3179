// Where the built servers are: the bootstrap passes their paths in the environment; a bare
// `tsx bench/main.ts` finds them in .tools, or says how to build them.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './child';

function find(envVar: string, rel: string): string {
  const p = process.env[envVar] ?? path.join(ROOT, '.tools', rel);
  if (!fs.existsSync(p)) throw new Error(`${p} is missing: run through \`npm run bench\` / \`npm run chaos\` (they build it), or \`npm run tools\`.`);
  return p;
}

export const tools = {
  temporal: () => find('TEMPORAL_CLI_PATH', 'bin/temporal'),
  ferretdb: () => find('FERRETDB_PATH', 'bin/ferretdb'),
  stripeMock: () => find('STRIPE_MOCK_PATH', 'bin/stripe-mock'),
};
