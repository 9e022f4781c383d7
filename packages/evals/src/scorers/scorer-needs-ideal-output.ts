import type { ScorerSpec } from './scorer-spec.ts';

/** Whether a scorer reads `ideal_output`, so the dataset must have it. */
export function scorerNeedsIdealOutput(spec: ScorerSpec): boolean {
  switch (spec.type) {
    case 'contains':
      return spec.values === undefined;
    case 'regex':
      return spec.pattern === undefined;
    case 'json-schema':
      return spec.schema === undefined;
    default:
      return true;
  }
}
