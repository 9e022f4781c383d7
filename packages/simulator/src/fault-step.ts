/** The fault step names: a contract shared with tests and the `x-sim-faults` header. */
export const FAULT_KINDS = [
  'ok',
  '429',
  '500',
  '503',
  '529',
  'reset',
  'stall',
  'cut',
  'error-event',
  'bad-json',
  'bad-tool-args',
  'filter',
  'overflow',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** One step: what the simulator does to one request. `after` is the chunk count for `cut:N`. */
export interface FaultStep {
  kind: FaultKind;
  after?: number;
}

/**
 * Content frames a stream delivers before `cut` or `error-event` strikes (when no `cut:N` gives a
 * frame count), so the client has partial text to report.
 */
export const CONTENT_FRAMES_BEFORE_FAULT = 2;

export const OK_STEP: FaultStep = { kind: 'ok' };

/**
 * Parses one step name: `ok`, `429`, `500`, `503`, `529`, `reset`, `stall`, `cut`, `cut:N`,
 * `error-event`, `bad-json`, `bad-tool-args`, `filter`, `overflow`.
 *
 * @example
 * parseFaultStep('cut:5'); // { kind: 'cut', after: 5 }
 */
export function parseFaultStep(text: string): FaultStep {
  const name = text.trim();
  const cut = /^cut:(\d+)$/.exec(name);
  if (cut) return { kind: 'cut', after: Number(cut[1]) };
  if ((FAULT_KINDS as readonly string[]).includes(name)) return { kind: name as FaultKind };
  throw new Error(`unknown fault step '${name}' (expected one of ${FAULT_KINDS.join(', ')}, cut:N)`);
}

/** `stepName(step)` is the inverse of `parseFaultStep`: `cut:5`, `429`, … */
export function stepName(step: FaultStep): string {
  return step.kind === 'cut' && step.after !== undefined ? `cut:${step.after}` : step.kind;
}
