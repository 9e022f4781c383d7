import type { ModelSpec, ModelTable } from '../model-table.ts';
import type { ErrorResponse } from '../simulator-context.ts';
import { anthropicError } from './anthropic-error.ts';

function entry(model: ModelSpec) {
  const name = model.id
    .replace(/^claude-/, 'Claude ')
    .replace(/-(\d+)-(\d+)$/, ' $1.$2')
    .replace(/-(\d+)$/, ' $1')
    .replace(/-/g, ' ')
    .replace(/\b([a-z])/g, (letter) => letter.toUpperCase());
  return { type: 'model', id: model.id, display_name: name, created_at: '2026-01-01T00:00:00Z' };
}

/** `GET /v1/models` and `GET /v1/models/{id}` in Anthropic's shape (requests with `anthropic-version`). */
export function anthropicModels(
  models: ModelTable,
  id?: string,
): { status: number; body: string } | ErrorResponse {
  if (id === undefined) {
    const data = models.list('anthropic').map(entry);
    return {
      status: 200,
      body: JSON.stringify({
        data,
        has_more: false,
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
      }),
    };
  }
  const model = models.find('anthropic', id);
  if (!model) return anthropicError(404, 'not_found_error', `model: ${id}`);
  return { status: 200, body: JSON.stringify(entry(model)) };
}
