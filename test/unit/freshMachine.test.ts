// What a fresh machine (or a process manager) meets before any of our code runs: the lock file that
// `npm ci` installs from, what `npm start` needs installed, and npm scripts that pass signals on.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string>; workspaces: string[] };

it("package-lock.json is in sync with every package.json, so the bootstrap's `npm ci` installs", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-npmci-'));
  for (const f of ['package.json', 'package-lock.json', ...pkg.workspaces.map((w) => `${w}/package.json`)]) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(root, f), path.join(dir, f));
  }
  const r = spawnSync('npm', ['ci', '--dry-run', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  expect(fs.readFileSync(path.join(root, 'scripts/bootstrap.mjs'), 'utf8')).toMatch(/spawnSync\('npm', \['ci'/);
}, 130_000);

it('npm start, test, bench and chaos exec the bootstrap, so a signal to npm reaches it (no shell in between)', () => {
  for (const mode of ['start', 'test', 'bench', 'chaos']) expect(pkg.scripts[mode]).toBe(`exec node scripts/bootstrap.mjs ${mode}`);
});

it('the tools `npm start` needs build and resolve without Java or Maven', () => {
  // A PATH with node and nothing else: the Go tools are already built in .tools, and the Java test
  // server is not asked for.
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-bin-'));
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  const code = `import(${JSON.stringify(path.join(root, 'scripts/tools.mjs'))}).then(async (t) => console.log(JSON.stringify(await t.ensureTools({ withTestServer: false }))))`;
  const r = spawnSync(path.join(bin, 'node'), ['-e', code], { env: { PATH: bin, HOME: os.homedir() }, encoding: 'utf8', timeout: 60_000 });
  expect(r.status).toBe(0);
  const paths = JSON.parse(r.stdout) as Record<string, string>;
  expect(Object.keys(paths).sort()).toEqual(['ferretdb', 'stripe-mock', 'temporal']);
  expect(spawnSync('sh', ['-c', 'command -v java'], { env: { PATH: bin } }).status).not.toBe(0);
});
