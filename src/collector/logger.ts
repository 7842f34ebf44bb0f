/**
 * Structured JSON logs with pino. Nothing on the per-event path logs; floods are summarised by the
 * callers (once per burst with a count).
 */
import { pino, type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
