import { fileURLToPath } from 'node:url';
import { createPromptRegistry } from '@reins/prompts';
import { describe, expect, it } from 'vitest';
import { datasetSpecForTemplate } from '../src/dataset/dataset-spec-for-template.ts';
import { readDataset } from '../src/dataset/read-dataset.ts';
import { validateDataset } from '../src/dataset/validate-dataset.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const prompts = createPromptRegistry({ dir: `${root}prompts`, git: false });

describe.each(['contract_summary', 'legal_analysis', 'patent_review'])('datasets/%s.csv', (name) => {
  const template = prompts.get(name);
  const spec = datasetSpecForTemplate(template);
  const source = { path: `${root}datasets/${name}.csv` };

  it('has a column for every template variable and at least 20 valid rows', async () => {
    const summary = await validateDataset(source, spec);
    expect(summary.rowCount).toBeGreaterThanOrEqual(20);
    expect(summary.columns).toEqual([...template.variables.map((variable) => variable.name), 'ideal_output']);
  });

  it('renders every row with the template', async () => {
    let rendered = 0;
    for await (const row of readDataset(source, spec)) {
      const prompt = prompts.render(name, row.variables, { strictExtra: true });
      expect(prompt.messages[0]!.content).toContain(String(Object.values(row.variables).at(-1)).slice(0, 40));
      expect(row.idealOutput.length).toBeGreaterThan(200);
      rendered += 1;
    }
    expect(rendered).toBeGreaterThanOrEqual(20);
  });
});
