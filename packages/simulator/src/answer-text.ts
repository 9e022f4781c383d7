import { createRandom, type Random } from './random.ts';

const STOP_WORDS = new Set(
  'the and for are but not you all any can had her was one our out has him his how its may new now old see two who did get let put say she too use that with have this will your from they know want been good much some time very when come here just like long make many more only over such take than them well were what which while would there their about could these those where after every other should into also then please tell give write short answer question explain'.split(
    ' ',
  ),
);

const TEMPLATES: readonly string[] = [
  'The {a} connects to the {b} in a direct way.',
  'Consider how {a} shapes {b} and {c}.',
  'In short, {a} matters because of {b}.',
  'A careful look at {a} shows {b} in a new light.',
  'Here, {a} and {b} work together.',
  'This answer covers {a}, {b} and {c}.',
  'Most of the {a} comes down to {b}.',
  'Start with {a}, then move on to {b}.',
  'The key point is that {a} depends on {b}.',
  'Seen from {a}, the {b} is simple.',
];

const FALLBACK_WORDS = ['request', 'topic', 'idea', 'detail', 'context', 'example'];

/** Content words of a prompt, in order of appearance, without duplicates or stop words. */
export function promptWords(text: string): string[] {
  const words: string[] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(/[A-Za-z][A-Za-z'-]{2,}/g)) {
    const word = match[0].toLowerCase();
    if (STOP_WORDS.has(word) || seen.has(word)) continue;
    seen.add(word);
    words.push(word);
    if (words.length >= 64) break;
  }
  return words.length > 0 ? words : FALLBACK_WORDS;
}

/**
 * Readable, deterministic prose built from the prompt's own words: the same `words` and `seed`
 * give the same text. It runs to about `approximateWords` words, ending on a full sentence.
 *
 * @example
 * answerText(promptWords('Explain tides and the moon'), 7, 20);
 * // 'Consider how tides shapes moon and tides. …'
 */
export function answerText(words: readonly string[], seed: number, approximateWords: number): string {
  const random = createRandom(seed);
  const pool = words.length > 0 ? words : FALLBACK_WORDS;
  const sentences: string[] = [];
  let wordCount = 0;
  while (wordCount < approximateWords) {
    const template = random.pick(TEMPLATES);
    const chosen = distinct(pool, random);
    const sentence = template.replace(
      /\{([abc])\}/g,
      (_match, slot: string) => chosen['abc'.indexOf(slot)] as string,
    );
    sentences.push(sentence);
    wordCount += sentence.split(' ').length;
  }
  const text = sentences.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Three words for a sentence's slots, distinct while the pool allows it. */
function distinct(pool: readonly string[], random: Random): string[] {
  const first = random.pick(pool);
  const rest = pool.length > 1 ? pool.filter((word) => word !== first) : pool;
  const second = random.pick(rest);
  const others = rest.length > 1 ? rest.filter((word) => word !== second) : rest;
  return [first, second, random.pick(others)];
}
