import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createPromptRegistry, type TemplateVariablesError } from '../src/index.ts';

const dir = fileURLToPath(new URL('../../../prompts', import.meta.url));

const samples: Record<string, Record<string, string>> = {
  legal_analysis: {
    document_title: 'Mutual Non-Disclosure Agreement',
    document_type: 'NDA',
    author: 'Acme Legal',
    date_created: '2024-05-02',
    jurisdiction: 'England and Wales',
    reviewer_name: 'John Smith',
    analysis_type: 'legal review',
    document_content: '1. Each party shall keep the Confidential Information secret for five years.',
  },
  patent_review: {
    patent_title: 'Solid-state electrolyte with layered sulfide structure',
    filing_date: '2023-11-14',
    inventors: 'A. Rivera, K. Osei',
    tech_field: 'battery chemistry',
    patent_content: 'Claim 1. An electrolyte comprising a layered sulfide…',
  },
  contract_summary: {
    contract_title: 'Master Services Agreement',
    parties: 'Acme Ltd (supplier) and Beta plc (customer)',
    contract_date: '2024-01-15',
    contract_type: 'services agreement',
    contract_content: '4.1 The Supplier shall provide the Services with reasonable skill and care.',
  },
};

describe('the example templates in prompts/', () => {
  const registry = createPromptRegistry({ dir });

  it('ships legal_analysis, patent_review and contract_summary, versioned and described', () => {
    const list = registry.list();
    expect(list.map((template) => template.name)).toEqual([
      'contract_summary',
      'legal_analysis',
      'patent_review',
    ]);
    for (const template of list) {
      expect(template.version).toBe('1.0.0');
      expect(template.description).toBeTruthy();
      expect(template.variables.every((variable) => variable.description)).toBe(true);
    }
  });

  it.each(Object.keys(samples))('%s declares exactly the variables it uses', (name) => {
    const variables = registry.get(name).variables;
    expect(variables.every((variable) => variable.declared && variable.used)).toBe(true);
    expect(variables.map((variable) => variable.name).sort()).toEqual(Object.keys(samples[name]!).sort());
  });

  it.each(Object.entries(samples))('%s renders a system part and one user message', (name, variables) => {
    const rendered = registry.render(name, variables);
    expect(rendered.system).toBeTruthy();
    expect(rendered.messages).toHaveLength(1);
    expect(rendered.messages[0]!.role).toBe('user');
    for (const value of Object.values(variables)) {
      expect(`${rendered.system}\n${rendered.messages[0]!.content}`).toContain(value);
    }
    expect(rendered.warnings).toBeUndefined();
    expect(rendered.template).toMatchObject({
      name,
      version: '1.0.0',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(rendered.params?.maxTokens).toBeGreaterThan(0);
  });

  it('fills author with its default, as the seed did with `doc.author or "Unknown"`', () => {
    const { author: _author, ...withoutAuthor } = samples['legal_analysis']!;
    expect(registry.render('legal_analysis', withoutAuthor).messages[0]!.content).toContain(
      '- Author: Unknown',
    );
  });

  it('names every missing variable', () => {
    const error = (() => {
      try {
        registry.render('patent_review', { patent_title: 'x' });
      } catch (caught) {
        return caught as TemplateVariablesError;
      }
    })();
    expect(error?.missing).toEqual(['filing_date', 'inventors', 'tech_field', 'patent_content']);
  });
});
