// One logger per process (pino): JSON lines in production for the log pipeline, a readable line
// locally. Every process and library logger (Temporal's runtime, Bolt, the API's request log) goes
// through it, so LOG_LEVEL means the same everywhere.
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config';

export type { Logger };

export function createLogger(c: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT' | 'NODE_ENV'>, service: string): Logger {
  const options = { level: c.LOG_LEVEL, base: { service }, serializers: { err: pino.stdSerializers.err } };
  if ((c.LOG_FORMAT ?? (c.NODE_ENV === 'production' ? 'json' : 'pretty')) === 'json') return pino(options);
  return pino(
    options,
    pretty({ sync: true, colorize: false, ignore: 'pid,hostname,service', messageFormat: '[{service}] {msg}', translateTime: 'HH:MM:ss.l' }),
  );
}

/**
 * A process's own lifecycle lines (waiting for Temporal, ready, stopping) print whatever LOG_LEVEL
 * says: npm start and the bench wait for the ready line, and an operator needs to see it.
 */
export const lifecycleLog = (logger: Logger): ((msg: string) => void) => {
  const always = logger.child({}, { level: 'info' });
  return (msg) => always.info(msg);
};

/** The line a process prints once it serves: `[api] ready…` pretty, `"service":"api"…"msg":"ready…` as JSON. */
export const readyLine = (service: string): RegExp => new RegExp(`\\[${service}\\] ready|"service":"${service}".*"msg":"ready`);
