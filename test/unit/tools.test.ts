// The tool builder's behaviour on a machine that lacks things: it says what is missing and how
// to get it, instead of failing somewhere deep inside a build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const script = path.join(__dirname, '../../scripts/tools.mjs');
const emptyDirs = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-tools-'));
  return { POSTFORGE_TOOLS_DIR: path.join(dir, 'tools'), XDG_CACHE_HOME: path.join(dir, 'cache') };
};
const run = (args: string[], env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [script, ...args], { env, encoding: 'utf8', timeout: 60_000 });

describe('scripts/tools.mjs', () => {
  it('--check lists every tool missing from an empty tools folder, and builds nothing', () => {
    const env = { ...process.env, ...emptyDirs() };
    const r = run(['--check'], env);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/missing: temporal v1\.5\.1, ferretdb v1\.24\.2-\w+, stripe-mock v0\.197\.0, temporal-test-server \S+/);
    expect(fs.existsSync(env.POSTFORGE_TOOLS_DIR)).toBe(false);
  });

  it('names the missing Go toolchain and how to get it', () => {
    // A PATH with node but no go.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-bin-'));
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const r = run([], { ...emptyDirs(), PATH: bin, HOME: os.tmpdir() });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Cannot build temporal: no Go toolchain found on PATH/);
    expect(r.stderr).toMatch(/Install Go ≥ 1\.25/);
  });

  it('--help says what each tool is for', () => {
    const r = run(['--help'], process.env);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/temporal\s+v1\.5\.1\s+the Temporal CLI/);
    expect(r.stdout).toMatch(/temporal-test-server/);
  });
});
