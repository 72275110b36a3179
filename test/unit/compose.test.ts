// docker-compose.yml cannot run here (no Docker engine), so this checks it against the code:
// every app service runs a file that exists, with variables the config module knows.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ConfigSchema } from '../../core/config';

const root = path.join(__dirname, '../..');
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { build?: string; image?: string; command?: string[]; environment?: Record<string, string>; depends_on?: unknown }>;
};
const known = new Set(Object.keys(ConfigSchema.shape));
const appServices = ['worker', 'api', 'slack', 'discord'];

describe('docker-compose.yml', () => {
  it('has the production-like stack: Temporal with its own database and UI, MongoDB, and the apps', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['api', 'discord', 'mongodb', 'postgresql', 'slack', 'temporal', 'temporal-ui', 'worker'].sort(),
    );
    expect(compose.services.temporal?.environment?.DB).toMatch(/^postgres/);
    expect(compose.services['temporal-ui']?.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it.each(appServices)('%s is built from our Dockerfile and runs a file that exists', (name) => {
    const svc = compose.services[name]!;
    expect(svc.build).toBe('.');
    expect(fs.existsSync(path.join(root, 'Dockerfile'))).toBe(true);
    const [runner, entry] = svc.command ?? [];
    expect(runner).toBe('node_modules/.bin/tsx');
    expect(fs.existsSync(path.join(root, entry!))).toBe(true);
    // The Dockerfile copies the folder the entry lives in.
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`COPY ${entry!.split('/')[0]} ./${entry!.split('/')[0]}`);
  });

  it.each(appServices)('%s is configured only through variables the config module parses', (name) => {
    const env = compose.services[name]!.environment ?? {};
    const unknown = Object.keys(env).filter((k) => !known.has(k));
    expect(unknown).toEqual([]);
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(env.MONGODB_URI).toMatch(/^mongodb:\/\/mongodb:27017\//);
    expect(env.EMBEDDED_SERVICES).toBe('');
  });

  it('the Dockerfile copies every folder the apps import from', () => {
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    for (const dir of ['core', 'services', 'workflows', 'worker', 'api', 'bots']) {
      expect(dockerfile).toContain(`COPY ${dir} ./${dir}`);
      expect(fs.existsSync(path.join(root, dir))).toBe(true);
    }
  });
});
