import type { ModelSpec, ModelTable } from '../model-table.ts';
import type { ErrorResponse } from '../simulator-context.ts';
import { openAIError } from './openai-error.ts';

const CREATED = 1_767_225_600; // 2026-01-01, a fixed date so responses are repeatable

function entry(model: ModelSpec) {
  return { id: model.id, object: 'model', created: CREATED, owned_by: model.ownedBy ?? 'openai' };
}

/** `GET /v1/models` and `GET /v1/models/{id}` in OpenAI's shape. */
export function openAIModels(
  models: ModelTable,
  id?: string,
): { status: number; body: string } | ErrorResponse {
  if (id === undefined)
    return { status: 200, body: JSON.stringify({ object: 'list', data: models.list('openai').map(entry) }) };
  const model = models.find('openai', id);
  if (!model) {
    return openAIError(
      404,
      `The model '${id}' does not exist`,
      'invalid_request_error',
      'model',
      'model_not_found',
    );
  }
  return { status: 200, body: JSON.stringify(entry(model)) };
}
