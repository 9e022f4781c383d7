import { z } from 'zod';
import type { ClientRuntime } from '../core/client-runtime.ts';
import { generate } from '../core/generate.ts';
import type { GenerateRequest } from '../core/request.ts';
import type { GenerateResult } from '../core/result.ts';
import { structured } from '../core/structured.ts';

/** A scorer: higher is better. */
export type VariationScorer = (candidate: GenerateResult, index: number) => number | Promise<number>;

/**
 * `variations` options. `temperatures[i]` is candidate i's temperature (ignored for Anthropic,
 * whose API rejects sampling parameters). Unless `nonce: false`, each candidate's system prompt
 * ends with a line `(Variant i of n: answer independently.)`, which makes candidates differ on
 * every provider, including those where temperature cannot be set.
 */
export type VariationsOptions = {
  n: number;
  temperatures?: number[];
  select: VariationScorer | { judge: string; rubric: string };
  nonce?: boolean;
};

/**
 * What `variations` resolves to: the chosen candidate, every candidate that answered, their
 * scores (scorer), or the judge's verdict (an LLM judge call, metered and tagged `reins:judge`).
 */
export type VariationsResult = {
  best: GenerateResult;
  bestIndex: number;
  candidates: GenerateResult[];
  scores: number[] | null;
  judge: { reason: string; costUsd: number | null; callId: string } | null;
};

/**
 * Generates `n` candidates in parallel and picks one by a scorer or an LLM judge.
 *
 * @example
 * const { best, candidates } = await client.variations({ model, prompt: 'A tagline for a bakery' },
 *   { n: 4, temperatures: [0.2, 0.6, 0.9, 1.2], select: { judge: 'openai/gpt-5.6-terra', rubric: 'short, warm, memorable' } });
 */
export async function variations(
  runtime: ClientRuntime,
  request: GenerateRequest,
  options: VariationsOptions,
): Promise<VariationsResult> {
  const { n } = options;
  const tags = [...(request.metadata?.tags ?? []), 'reins:variation'];
  const settled = await Promise.allSettled(
    Array.from({ length: n }, (_, index) => {
      const temperature = options.temperatures?.[index] ?? request.temperature;
      const variant = `(Variant ${index + 1} of ${n}: answer independently.)`;
      return generate(runtime, {
        ...request,
        ...(temperature !== undefined ? { temperature } : {}),
        ...(options.nonce === false
          ? {}
          : { system: request.system === undefined ? variant : `${request.system}\n\n${variant}` }),
        metadata: { ...request.metadata, tags },
      });
    }),
  );
  const candidates = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  if (candidates.length === 0) throw (settled[0] as PromiseRejectedResult).reason;

  if (typeof options.select === 'function') {
    const scorer = options.select;
    const scores = await Promise.all(candidates.map((candidate, index) => scorer(candidate, index)));
    let bestIndex = 0;
    for (let index = 1; index < scores.length; index++)
      if (scores[index]! > scores[bestIndex]!) bestIndex = index;
    return { best: candidates[bestIndex]!, bestIndex, candidates, scores, judge: null };
  }

  const { judge, rubric } = options.select;
  const listing = candidates
    .map((candidate, index) => `Candidate ${index + 1}:\n${candidate.text}`)
    .join('\n\n');
  const verdict = await structured(runtime, {
    model: judge,
    system: 'You compare candidate answers against a rubric and pick the best one.',
    prompt: `Task given to the candidates:\n${request.prompt ?? '(see conversation)'}\n\nRubric: ${rubric}\n\n${listing}\n\nReply with the number of the best candidate and a one-sentence reason.`,
    schema: z.object({ best: z.number().int().min(1).max(candidates.length), reason: z.string() }),
    metadata: { ...request.metadata, tags: [...(request.metadata?.tags ?? []), 'reins:judge'] },
    ...(request.signal !== undefined ? { signal: request.signal } : {}),
  });
  const bestIndex = verdict.value.best - 1;
  return {
    best: candidates[bestIndex]!,
    bestIndex,
    candidates,
    scores: null,
    judge: { reason: verdict.value.reason, costUsd: verdict.costUsd, callId: verdict.callId },
  };
}
