import type { LogLevel } from '@quorum/config';
import { pino, type DestinationStream, type Logger } from 'pino';
import { currentLogContext } from './log-context';

export type { Logger } from 'pino';

/**
 * One JSON object per line on stdout: `time` (ISO 8601), `level` (a word, not pino's
 * number, so `grep '"level":"error"'` works), `service`, `msg`, and the request id and job
 * of the request or job the line was written in.
 */
export function createLogger(
  service: string,
  level: LogLevel = 'info',
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...currentLogContext() }),
    },
    destination,
  );
}
