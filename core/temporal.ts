// Connection options for Temporal, shared by the worker and every client (API, bots, scripts):
// the local dev server by default, a cluster or Temporal Cloud through TEMPORAL_* variables.
import fs from 'node:fs';
import type { Config } from './config';

export interface TemporalConnectionOptions {
  address: string;
  tls?: { clientCertPair: { crt: Buffer; key: Buffer } } | true;
  apiKey?: string;
}

export function temporalConnectionOptions(c: Config): TemporalConnectionOptions {
  const opts: TemporalConnectionOptions = { address: c.TEMPORAL_ADDRESS };
  if (c.TEMPORAL_TLS_CERT && c.TEMPORAL_TLS_KEY) {
    opts.tls = {
      clientCertPair: { crt: fs.readFileSync(c.TEMPORAL_TLS_CERT), key: fs.readFileSync(c.TEMPORAL_TLS_KEY) },
    };
  } else if (c.TEMPORAL_API_KEY) {
    opts.tls = true;
    opts.apiKey = c.TEMPORAL_API_KEY;
  }
  return opts;
}

export const postWorkflowId = (postId: string): string => `post-${postId}`;

/** The Temporal Schedule of a series (services/series.ts). */
export const seriesScheduleId = (seriesId: string): string => `series-${seriesId}`;
