const MAX_TIME = 8.64e15;
// "000Z" … "999Z": the milliseconds and the zone of an ISO timestamp.
const MILLISECONDS = Array.from({ length: 1000 }, (_, index) => `${String(index).padStart(3, '0')}Z`);
let cachedSecond = Number.NaN;
let cachedPrefix = '';

/**
 * `new Date(milliseconds).toISOString()`, with everything up to the second formatted once per
 * second: `toISOString` costs most of a microsecond, and every call record carries a timestamp.
 * Same output for every input, and the same `RangeError` for an invalid time.
 *
 * @example
 * isoTimestamp(Date.UTC(2026, 10, 26, 8, 46, 30, 7)) // '2026-11-26T08:46:30.007Z'
 */
export function isoTimestamp(milliseconds: number): string {
  // `Date` truncates a fractional time toward zero.
  const time = Math.trunc(milliseconds);
  if (!(time >= -MAX_TIME && time <= MAX_TIME)) return new Date(milliseconds).toISOString();
  const second = Math.floor(time / 1000);
  if (second !== cachedSecond) {
    // Drop "sssZ", keep the dot.
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, -4);
    cachedSecond = second;
  }
  return cachedPrefix + MILLISECONDS[time - second * 1000];
}
