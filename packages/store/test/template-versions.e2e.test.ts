import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createClient } from '@reins/client';
import { createPromptRegistry } from '@reins/prompts';
import { startSimulator } from '@reins/simulator';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStore } from '../src/index.ts';

// A template's version identity (semver, content hash, git commit) flows from the registry
// through a real client call into the log line and the call-log row.
const promptsDir = fileURLToPath(new URL('../../../prompts', import.meta.url));
let simulator: Awaited<ReturnType<typeof startSimulator>>;
let dataDir: string;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
  dataDir = mkdtempSync(join(tmpdir(), 'reins-template-versions-'));
});

afterAll(async () => {
  await simulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('render → generate → log line and call log carry the template name, version, hash and commit', async () => {
  const registry = createPromptRegistry({ dir: promptsDir });
  const rendered = registry.render('contract_summary', {
    contract_title: 'Master Services Agreement',
    parties: 'Acme Ltd and Beta plc',
    contract_date: '2024-01-15',
    contract_type: 'services agreement',
    contract_content: '4.1 The Supplier shall provide the Services with reasonable skill and care.',
  });
  expect(rendered.template.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(rendered.template.hash).toMatch(/^[0-9a-f]{64}$/);

  const store = await openStore({ url: `sqlite:${join(dataDir, 'reins.db')}` });
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  const client = createClient({
    providers: { openai: { apiKey: 'sk-sim-template-test', baseURL: `${simulator.url}/v1` } },
    logger: pino(destination),
    sinks: [store.sink()],
  });
  const result = await client.generate({ ...rendered, model: 'openai/gpt-5.6-luna', maxTokens: 40 });
  await store.flush();

  const callLine = lines.map((line) => JSON.parse(line)).find((line) => line.event === 'llm.call');
  expect(callLine).toMatchObject({
    template: 'contract_summary',
    template_version: rendered.template.version,
  });

  const entry = await store.calls.get(result.callId);
  expect(entry?.template).toMatchObject({
    name: 'contract_summary',
    version: rendered.template.version,
    hash: rendered.template.hash,
  });
  if (rendered.template.gitCommit !== undefined) {
    expect(entry?.template?.gitCommit).toBe(rendered.template.gitCommit);
  }
  const page = await store.calls.list({ template: `contract_summary@${rendered.template.version}` });
  expect(page.items.map((item) => item.callId)).toContain(result.callId);
  await store.close();
});
