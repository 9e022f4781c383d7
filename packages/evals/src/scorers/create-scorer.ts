import { EvalsError } from '../evals-error.ts';
import { containsScorer } from './contains-scorer.ts';
import { exactScorer } from './exact-scorer.ts';
import { jsonSchemaScorer } from './json-schema-scorer.ts';
import { type JudgeClient, judgeScorer } from './judge-scorer.ts';
import { numericScorer } from './numeric-scorer.ts';
import { regexScorer } from './regex-scorer.ts';
import type { Scorer } from './scorer.ts';
import type { ScorerSpec } from './scorer-spec.ts';
import { similarityScorer } from './similarity-scorer.ts';

export type CreateScorerContext = {
  /** Needed by `judge` only. */
  client?: JudgeClient;
  /** The judge's model when the spec names none. */
  defaultJudgeModel?: string;
};

/**
 * Builds a scorer from its spec.
 *
 * @example
 * const scorer = createScorer(parseScorerSpec('judge'), { client, defaultJudgeModel: 'anthropic/claude-haiku-4-5' });
 */
export function createScorer(spec: ScorerSpec, context: CreateScorerContext = {}): Scorer {
  switch (spec.type) {
    case 'exact':
      return exactScorer(spec);
    case 'contains':
      return containsScorer(spec);
    case 'regex':
      return regexScorer(spec);
    case 'json-schema':
      return jsonSchemaScorer(spec);
    case 'numeric':
      return numericScorer(spec);
    case 'similarity':
      return similarityScorer(spec);
    case 'judge': {
      const model = spec.model ?? context.defaultJudgeModel;
      if (context.client === undefined || model === undefined) {
        throw new EvalsError('the judge scorer needs a client and a model');
      }
      return judgeScorer({ ...spec, client: context.client, model });
    }
  }
}
