// The clients' API types (extension/src/lib/api.gen.ts, web/src/api.gen.ts) are generated from the
// OpenAPI document; a schema changed without `npm run gen:api` fails here, naming the command.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '../..');

test('the checked-in generated API types are what the OpenAPI document generates now', () => {
  let failure = '';
  try {
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/gen-api.ts', '--check'], { cwd: root, stdio: 'pipe' });
  } catch (err) {
    failure = String((err as { stderr?: Buffer }).stderr ?? err);
  }
  expect(failure).toBe('');
}, 60_000);
