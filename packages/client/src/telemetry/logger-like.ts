/**
 * The logger Reins writes to: any pino logger fits (pass `logger: pino(...)` in the client
 * config), and so does anything with the same `(fields, message)` methods.
 *
 * @example
 * const client = createClient({ logger: pino({ level: 'info' }, pino.destination('/var/log/reins.log')) });
 */
export type LoggerLike = {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
  debug(fields: object, message?: string): void;
};
