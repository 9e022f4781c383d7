import { describe, expect, it } from 'vitest';
import { longestCommonSubsequence, rougeL, wordTokens } from './rouge-l.ts';
import { similarityScorer } from './similarity-scorer.ts';

describe('rougeL', () => {
  it('tokenises words in any script, ignoring case and punctuation', () => {
    expect(wordTokens('The Lessee shall pay €1,200 — monthly; ÉTÉ 日本')).toEqual([
      'the',
      'lessee',
      'shall',
      'pay',
      '1',
      '200',
      'monthly',
      'été',
      '日本',
    ]);
  });

  it('computes the longest common subsequence', () => {
    expect(longestCommonSubsequence(['a', 'b', 'c', 'd'], ['a', 'c', 'd', 'b'])).toBe(3);
    expect(longestCommonSubsequence([], ['a'])).toBe(0);
  });

  it('matches the textbook value and its edge cases', () => {
    // LCS("the cat sat on the mat", "the cat is on the mat") = 5 words: P = 5/6, R = 5/6.
    expect(rougeL('the cat sat on the mat', 'the cat is on the mat')).toBeCloseTo(5 / 6);
    // P = 2/2, R = 2/4 → F1 = 2/3
    expect(rougeL('police killed', 'police killed the gunman')).toBeCloseTo(2 / 3);
    expect(rougeL('Same words.', 'same WORDS')).toBe(1);
    expect(rougeL('', '')).toBe(1);
    expect(rougeL('something', '')).toBe(0);
    expect(rougeL('alpha beta', 'gamma delta')).toBe(0);
  });
});

describe('similarity scorer', () => {
  it('passes at the threshold', async () => {
    const input = { output: 'the cat sat on the mat', idealOutput: 'the cat is on the mat', variables: {} };
    expect(await similarityScorer({ threshold: 0.8 }).score(input)).toMatchObject({
      passed: true,
      scale: 'unit',
    });
    expect((await similarityScorer({ threshold: 0.9 }).score(input)).passed).toBe(false);
  });
});
