import type { RateLimitObservation } from './limiter-store.ts';

type HeaderLike = { get(name: string): string | null };

const number = (headers: HeaderLike, name: string): number | undefined => {
  const value = headers.get(name);
  if (value === null || value === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
};

/**
 * Reads OpenAI's `x-ratelimit-{limit,remaining}-{requests,tokens}` and Anthropic's
 * `anthropic-ratelimit-{requests,tokens}-{limit,remaining}` (falling back to the
 * `input-tokens` family). `undefined` when the response carries none.
 *
 * @example
 * parseRateLimitHeaders(new Headers({ 'x-ratelimit-limit-requests': '500' })) // { limitRequests: 500 }
 */
export function parseRateLimitHeaders(headers: HeaderLike | undefined): RateLimitObservation | undefined {
  if (headers === undefined || typeof headers.get !== 'function') return undefined;
  const observation: RateLimitObservation = {};
  const set = (field: keyof RateLimitObservation, ...names: string[]) => {
    for (const name of names) {
      const value = number(headers, name);
      if (value !== undefined) {
        observation[field] = value;
        return;
      }
    }
  };
  set('limitRequests', 'x-ratelimit-limit-requests', 'anthropic-ratelimit-requests-limit');
  set('remainingRequests', 'x-ratelimit-remaining-requests', 'anthropic-ratelimit-requests-remaining');
  set(
    'limitTokens',
    'x-ratelimit-limit-tokens',
    'anthropic-ratelimit-tokens-limit',
    'anthropic-ratelimit-input-tokens-limit',
  );
  set(
    'remainingTokens',
    'x-ratelimit-remaining-tokens',
    'anthropic-ratelimit-tokens-remaining',
    'anthropic-ratelimit-input-tokens-remaining',
  );
  return Object.keys(observation).length === 0 ? undefined : observation;
}
