import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, ConfigSchema, frontEnds, parseConfig } from '../../core/config';

describe('configuration', () => {
  it('runs locally with no variables at all', () => {
    const c = parseConfig({});
    expect(c.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(c.MONGODB_URI).toContain('directConnection=true');
    expect(c.EMBEDDED_SERVICES).toEqual(['temporal', 'ferretdb', 'stripe-mock']);
    expect(c.DRAFT_EXPIRY).toBe(7 * 86_400_000);
    expect(c.FREE_CREDITS).toBe(10);
  });

  it('treats empty values as unset', () => {
    expect(parseConfig({ API_PORT: '', EMBEDDED_SERVICES: '' }).API_PORT).toBe(3000);
  });

  it('names each bad variable, what it expects and what it got', () => {
    let err: unknown;
    try {
      parseConfig({ API_PORT: 'abc', DRAFT_EXPIRY: '7 days', MONGODB_URI: 'postgres://x', EMBEDDED_SERVICES: 'temporal,redis' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/API_PORT: a port number from 0 to 65535 \(got "abc"\)/);
    expect(msg).toMatch(/DRAFT_EXPIRY: a duration like "30s", "15m", "7d" \(got "7 days"\)/);
    expect(msg).toMatch(/MONGODB_URI: a MongoDB connection string/);
    expect(msg).toMatch(/EMBEDDED_SERVICES: each entry must be one of temporal, ferretdb, stripe-mock/);
  });

  it('parses durations in every unit', () => {
    expect(parseConfig({ PUBLISH_TIMEOUT: '1500ms' }).PUBLISH_TIMEOUT).toBe(1500);
    expect(parseConfig({ PUBLISH_TIMEOUT: '2m' }).PUBLISH_TIMEOUT).toBe(120_000);
    expect(parseConfig({ DRAFT_EXPIRY: '3h' }).DRAFT_EXPIRY).toBe(3 * 3_600_000);
  });

  it('says which front ends are off and what turns them on', () => {
    const off = frontEnds(parseConfig({}));
    expect(off.find((f) => f.name === 'Slack')).toMatchObject({ on: false, why: expect.stringContaining('SLACK_SIGNING_SECRET') });
    expect(off.find((f) => f.name === 'Claude')?.why).toMatch(/offline generator — set ANTHROPIC_API_KEY/);
    const on = frontEnds(parseConfig({ SLACK_SIGNING_SECRET: 's', ANTHROPIC_API_KEY: 'k' }));
    expect(on.find((f) => f.name === 'Slack')?.on).toBe(true);
    expect(on.find((f) => f.name === 'Claude')?.why).toContain('claude-');
  });

  it('.env.example lists every variable and nothing else', () => {
    const text = fs.readFileSync(path.join(__dirname, '../../.env.example'), 'utf8');
    const listed = [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(Object.keys(ConfigSchema.shape).sort());
  });
});
