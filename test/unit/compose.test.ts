// docker-compose.yml cannot run here (no Docker engine), so this checks it against the code:
// every app service runs a file that exists, with variables the config module knows.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ConfigSchema } from '../../core/config';
import { WORKER_MALLOC_ENV } from '../../worker/launchEnv';

const root = path.join(__dirname, '../..');
type Port = string | number | { target: number; published?: string | number; host_ip?: string };
interface Service {
  build?: string;
  image?: string;
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: Port[];
}
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const known = new Set(Object.keys(ConfigSchema.shape));
const appServices = ['worker', 'api', 'slack', 'discord'];

describe('docker-compose.yml', () => {
  it('has the production-like stack: Temporal with its own database and UI, MongoDB, and the apps', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['api', 'discord', 'mongodb', 'postgresql', 'slack', 'temporal', 'temporal-namespace', 'temporal-schema', 'temporal-ui', 'worker'].sort(),
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
    // Besides the worker's launch settings, read by the loader and the allocator (test/unit/workerLaunchEnv.test.ts).
    const launch = new Set(name === 'worker' ? [...Object.keys(WORKER_MALLOC_ENV), 'LD_PRELOAD'] : []);
    const unknown = Object.keys(env).filter((k) => !known.has(k) && !launch.has(k));
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

  it('publishes only the API to the network: Temporal (7233) and its UI (8080) are loopback-only or not published', () => {
    const exposed: string[] = [];
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const p of svc.ports ?? []) {
        const { hostIp, target } = parsePort(p);
        if (hostIp !== '127.0.0.1' && hostIp !== '::1') exposed.push(`${name}:${target}`);
      }
    }
    expect(exposed).toEqual(['api:3000']);
    const temporalPorts = [...(compose.services.temporal?.ports ?? []), ...(compose.services['temporal-ui']?.ports ?? [])].map(parsePort);
    expect(temporalPorts.map((p) => p.target).sort()).toEqual([7233, 8080]);
    for (const p of temporalPorts) expect(p.hostIp).toBe('127.0.0.1');
  });

  it('runs the pinned temporalio/server image, not the deprecated auto-setup', () => {
    const images = Object.values(compose.services).map((s) => s.image ?? '');
    expect(images.filter((i) => i.includes('auto-setup'))).toEqual([]);
    expect(compose.services.temporal?.image).toMatch(/^temporalio\/server:\d+\.\d+\.\d+$/);
    for (const i of images.filter((x) => x.startsWith('temporalio/'))) expect(i).toMatch(/:\d+\.\d+\.\d+/);
  });

  it('sets up the PostgreSQL schema in a one-shot admin-tools job that the server waits for', () => {
    const job = compose.services['temporal-schema']!;
    expect(job.image).toMatch(/^temporalio\/admin-tools:\d+\.\d+\.\d+/);
    // The same server version as the server image.
    expect(job.image!.split(':')[1]!.split('-')[0]).toBe(compose.services.temporal!.image!.split(':')[1]);
    const script = [...(job.entrypoint ?? []), ...(job.command ?? [])].join('\n');
    for (const db of ['temporal', 'temporal_visibility']) {
      expect(script).toMatch(new RegExp(`--db ${db} create`));
      expect(script).toMatch(new RegExp(`--db ${db} setup-schema -v 0\\.0`));
      expect(script).toMatch(
        new RegExp(`--db ${db} update-schema -d /etc/temporal/schema/postgresql/v12/${db === 'temporal' ? 'temporal' : 'visibility'}/versioned`),
      );
    }
    expect(script).toContain('temporal-sql-tool --plugin postgres12');
    expect(dependsOn('temporal-schema', 'postgresql')).toBe('service_healthy');
    expect(dependsOn('temporal', 'temporal-schema')).toBe('service_completed_successfully');
    expect(compose.services.temporal?.environment?.DB).toBe('postgres12');
  });

  it('registers the namespace the apps use in a one-shot job, and the apps wait for it', () => {
    const job = compose.services['temporal-namespace']!;
    expect(job.image).toMatch(/^temporalio\/admin-tools:/);
    const script = (job.command ?? []).join('\n');
    const namespace = compose.services.worker?.environment?.TEMPORAL_NAMESPACE;
    expect(script).toContain(`temporal operator namespace create -n ${namespace}`);
    expect(dependsOn('temporal-namespace', 'temporal')).toBe('service_healthy');
    for (const app of ['worker', 'api']) expect(dependsOn(app, 'temporal-namespace')).toBe('service_completed_successfully');
  });

  it.each(['ENCRYPTION_KEY', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'])(
    '%s is required (${VAR:?message}), never an empty value that falls back to the public default',
    (name) => {
      for (const app of appServices) {
        const value = compose.services[app]?.environment?.[name];
        expect({ app, value }).toEqual({ app, value: expect.stringMatching(new RegExp(`^\\$\\{${name}:\\?set ${name} \\(.+\\)\\}$`)) });
      }
    },
  );
});

function parsePort(p: Port): { hostIp: string | undefined; target: number } {
  if (typeof p === 'object') return { hostIp: p.host_ip, target: p.target };
  const parts = String(p).split(':');
  // "8080", "8233:8080", "127.0.0.1:8233:8080"
  return { hostIp: parts.length === 3 ? parts[0] : undefined, target: Number(parts[parts.length - 1]) };
}

function dependsOn(service: string, on: string): string | undefined {
  const deps = compose.services[service]?.depends_on;
  if (!deps) return undefined;
  if (Array.isArray(deps)) return deps.includes(on) ? 'service_started' : undefined;
  return deps[on] ? (deps[on]!.condition ?? 'service_started') : undefined;
}
