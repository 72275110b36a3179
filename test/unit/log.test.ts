// Logs: JSON lines in production for a pipeline, a readable line locally, one level for everything,
// and a ready line the process supervisors (npm start, the bench) recognise in both shapes.
import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger, lifecycleLog, readyLine } from '../../core/log';

function capture(): { stream: Writable; lines: () => string[] } {
  const chunks: string[] = [];
  return { stream: new Writable({ write: (c, _e, cb) => void (chunks.push(String(c)), cb()) }), lines: () => chunks.join('').split('\n').filter(Boolean) };
}

it('writes JSON in production with the service, level and error stack', () => {
  const out = capture();
  const json = pino({ level: 'info', base: { service: 'api' }, serializers: { err: pino.stdSerializers.err } }, out.stream);
  json.error({ err: new Error('boom') }, 'unexpected error');
  const line = JSON.parse(out.lines()[0]!) as { service: string; level: number; msg: string; err: { stack: string } };
  expect(line).toMatchObject({ service: 'api', level: 50, msg: 'unexpected error' });
  expect(line.err.stack).toMatch(/Error: boom\n\s+at /);
  // The real factory picks JSON for production and pretty elsewhere, at LOG_LEVEL.
  expect(createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: undefined, NODE_ENV: 'production' }, 'x').level).toBe('warn');
  expect(createLogger({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json', NODE_ENV: 'development' }, 'x').level).toBe('debug');
});

it('recognises a ready line as JSON and as a pretty line', () => {
  expect(readyLine('worker').test('[10:00:00.000] INFO: [worker] ready: polling task queue "postforge"')).toBe(true);
  expect(readyLine('worker').test('{"level":30,"time":1,"service":"worker","msg":"ready: polling task queue"}')).toBe(true);
  expect(readyLine('worker').test('{"level":30,"service":"api","msg":"ready: listening"}')).toBe(false);
  expect(readyLine('api').test('[api] waiting for Temporal')).toBe(false);
});

it('prints a process lifecycle line (ready) whatever LOG_LEVEL says, and nothing else below it', () => {
  const out = capture();
  const logger = pino({ level: 'warn', base: { service: 'worker' } }, out.stream);
  lifecycleLog(logger)('ready: polling');
  logger.info('a request');
  expect(out.lines().map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['ready: polling']);
  expect(readyLine('worker').test(out.lines()[0]!)).toBe(true);
});
