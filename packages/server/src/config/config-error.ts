/** One rejected environment variable and why. */
export type ConfigIssue = { variable: string; message: string };

/**
 * Thrown by `loadConfig` when the environment is unusable; the message names every bad variable
 * so an operator fixes them all in one go.
 *
 * @example
 * try { loadConfig({ env: { REINS_PORT: 'abc' } }); }
 * catch (error) { if (error instanceof ConfigError) console.error(error.message); }
 * // Invalid configuration:
 * //   REINS_PORT: expected an integer between 0 and 65535 (got "abc")
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super(
      `Invalid configuration:\n${issues.map((issue) => `  ${issue.variable}: ${issue.message}`).join('\n')}`,
    );
    this.issues = issues;
  }
}
