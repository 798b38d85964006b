import { randomUUID } from 'node:crypto';
import { pino } from 'pino';

/**
 * Structured JSON logs (pino), one line per event, to stdout. LOG_LEVEL sets the level (`silent` in the tests).
 * Every request line carries the request id the gateway hands to each subgraph and back to the client.
 */
export const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: undefined, timestamp: pino.stdTimeFunctions.isoTime });

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The caller's `x-request-id` when it is a sane token, else a new one. */
export function requestIdOf(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}
