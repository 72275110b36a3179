// Where the built servers are. `npm test` builds them first and passes their paths; a bare
// `npx jest` finds them in .tools or says how to build them.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

function find(envVar: string, rel: string): string {
  const p = process.env[envVar] ?? path.join(root, '.tools', rel);
  if (!fs.existsSync(p)) throw new Error(`${p} is missing: run \`npm run tools\` (or \`npm test\`, which builds it).`);
  return p;
}

export const toolPaths = {
  temporal: () => find('TEMPORAL_CLI_PATH', 'bin/temporal'),
  ferretdb: () => find('FERRETDB_PATH', 'bin/ferretdb'),
  stripeMock: () => find('STRIPE_MOCK_PATH', 'bin/stripe-mock'),
  testServer: () => find('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server/temporal-test-server'),
};
