import { pino } from 'pino';
import type { LoggerLike } from './logger-like.ts';

/**
 * The logger a client uses when the config names none: pino, JSON lines on stderr (stdout
 * stays free for the application), level `info` or `REINS_LOG_LEVEL`. One line per attempt and
 * one per call is what operations read, so it is on by default; pass `logger: false` to silence.
 *
 * @example
 * REINS_LOG_LEVEL=warn node app.ts   # only failures and warnings
 */
export function createDefaultLogger(): LoggerLike {
  return pino({ name: 'reins', level: process.env['REINS_LOG_LEVEL'] ?? 'info' }, pino.destination(2));
}
