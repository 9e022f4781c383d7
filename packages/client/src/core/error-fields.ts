/** The class name and a key-free message of any thrown value, for logs, sinks and spans. */
export function errorFields(
  error: unknown,
  redact: (text: string) => string,
): { className: string; message: string } {
  if (error instanceof Error) return { className: error.name || 'Error', message: redact(error.message) };
  return { className: typeof error, message: redact(String(error)) };
}
