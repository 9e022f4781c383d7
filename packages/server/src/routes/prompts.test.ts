import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/helpers/test-app.ts';

const harness = useTestApp();

describe('prompt routes', () => {
  it('lists the templates with versions and variables', async () => {
    const { alice } = await harness.start();
    const response = await alice({ method: 'GET', url: '/v1/prompts' });
    expect(response.statusCode).toBe(200);
    const summary = response.json().items.find((item: { name: string }) => item.name === 'contract_summary');
    expect(summary).toMatchObject({ version: '1.0.0', model: 'anthropic/claude-haiku-4-5' });
    expect(summary.variables.map((variable: { name: string }) => variable.name)).toContain(
      'contract_content',
    );
  });

  it('shows one template, and 404 for an unknown one', async () => {
    const { alice } = await harness.start();
    const response = await alice({ method: 'GET', url: '/v1/prompts/contract_summary' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      name: 'contract_summary',
      params: { temperature: 0.2, maxTokens: 1500 },
    });
    expect(response.json().body).toContain('{% system %}');
    const missing = await alice({ method: 'GET', url: '/v1/prompts/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().type).toBe('urn:reins:problem:template-not-found');
  });

  it('renders without calling a model; 422 lists missing variables', async () => {
    const { alice } = await harness.start();
    const rendered = await alice({
      method: 'POST',
      url: '/v1/prompts/contract_summary/render',
      payload: {
        variables: {
          contract_title: 'MSA',
          parties: 'A and B',
          contract_date: '2025-01-01',
          contract_type: 'NDA',
          contract_content: 'Confidential.',
        },
      },
    });
    expect(rendered.statusCode).toBe(200);
    expect(rendered.json().system).toContain('NDA');
    expect(rendered.json().messages[0]).toMatchObject({
      role: 'user',
      content: expect.stringContaining('MSA'),
    });
    expect(rendered.json().template).toMatchObject({ name: 'contract_summary', version: '1.0.0' });
    const missing = await alice({ method: 'POST', url: '/v1/prompts/contract_summary/render', payload: {} });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().missing).toHaveLength(5);
    const unknownField = await alice({
      method: 'POST',
      url: '/v1/prompts/contract_summary/render',
      payload: { vars: {} },
    });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().errors[0].field).toBe('vars');
  });

  it('needs a key', async () => {
    const { app } = await harness.start();
    expect((await app.inject({ method: 'GET', url: '/v1/prompts' })).statusCode).toBe(401);
  });
});
