/**
 * The slice of a pino logger the store uses, so a pino instance can be passed as is.
 *
 * @example
 * openStore({ url, logger: pino() })
 */
export type StoreLogger = {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
};

/** One JSON line per event on stderr, in pino's shape, for when no logger is given. */
export const stderrLogger: StoreLogger = {
  warn: (details, message) => writeLine(40, details, message),
  error: (details, message) => writeLine(50, details, message),
};

function writeLine(level: number, details: object, message: string): void {
  process.stderr.write(
    `${JSON.stringify({ level, time: Date.now(), name: 'reins-store', ...details, msg: message })}\n`,
  );
}
