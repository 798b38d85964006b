import { randomUUID } from 'node:crypto';
import { pino } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const fromEnv = process.env.LOG_LEVEL as (typeof LOG_LEVELS)[number] | undefined;

/**
 * Structured JSON logs (pino), one line per event, to stdout. The level is the validated LOG_LEVEL setting, applied
 * with `setLogLevel` when a server starts (`silent` in the tests); before that, and in processes that embed the graph
 * without a config of their own (benchmarks, scripts), LOG_LEVEL from the environment when it names a level, else
 * `info`. Every request line carries the request id the gateway hands to each subgraph and back to the client.
 */
export const log = pino({
  level: fromEnv && LOG_LEVELS.includes(fromEnv) ? fromEnv : 'info',
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
});

export function setLogLevel(level: string): void {
  log.level = level;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The caller's `x-request-id` when it is a sane token, else a new one. */
export function requestIdOf(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}
