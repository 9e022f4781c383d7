import { describe, expect, it } from 'vitest';
import { toolMessageIsError } from './tool-message-error.ts';

describe('toolMessageIsError', () => {
  it('reads error text and JSON error objects as errors', () => {
    for (const text of [
      'Error: Invalid arguments for tool "weather"',
      'error: city not found',
      'ERROR 42',
      '  Invalid arguments: city is required',
      'invalid input',
      '{"error": "city not found"}',
      ' {"error": null, "code": 3} ',
    ]) {
      expect(toolMessageIsError(text), text).toBe(true);
    }
  });

  it('reads everything else as a success', () => {
    for (const text of [
      '',
      'Sunny, 21 degrees',
      'No errors found',
      'Errors: none',
      'Invalidated 3 cache entries',
      '{"temperature": 21}',
      '{"result": {"error": "nested"}}',
      '[{"error": 1}]',
      '{"error": ',
      'null',
    ]) {
      expect(toolMessageIsError(text), text).toBe(false);
    }
  });
});
