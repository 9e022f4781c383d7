const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * Reads a point in time the way people type it: a duration back from now (`30s`, `15m`, `1h`,
 * `7d`, `2w`) or an ISO-8601 date/time. Returns undefined when it is neither.
 *
 * @example
 * parseTimeBound('1h', new Date('2025-01-01T12:00:00Z')) // 2025-01-01T11:00:00.000Z
 * parseTimeBound('2025-01-01') // 2025-01-01T00:00:00.000Z
 */
export function parseTimeBound(value: string | Date, now: Date = new Date()): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  const relative = /^(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(value.trim());
  if (relative !== null) {
    return new Date(now.getTime() - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]);
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(value.trim())) return undefined;
  const time = new Date(value.trim());
  return Number.isNaN(time.getTime()) ? undefined : time;
}
