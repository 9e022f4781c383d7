import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type LLMClient } from '@reins/client';
import { createPromptRegistry, type PromptRegistry } from '@reins/prompts';
import { type Simulator, type SimulatorOptions, startSimulator } from '@reins/simulator';
import { openStore, type Store, uuidv7 } from '@reins/store';
import type { EvalDeps } from '../../src/run/eval-deps.ts';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const MODELS = ['openai/gpt-5.6-luna', 'anthropic/claude-haiku-4-5'];

export type EvalHarness = {
  deps: EvalDeps;
  client: LLMClient;
  store: Store;
  simulator: Simulator;
  prompts: PromptRegistry;
  directory: string;
  /** Writes a contract_summary dataset of `rows` rows (each row's text carries `ROW-n`). */
  writeDataset(rows: number, name?: string): Promise<string>;
  close(): Promise<void>;
};

/** The real stack on one machine: simulator over HTTP, the client through the SDKs, SQLite in memory. */
export async function startEvalHarness(options: { simulator?: SimulatorOptions } = {}): Promise<EvalHarness> {
  const simulator = await startSimulator({ port: 0, ...options.simulator });
  const store = await openStore({ url: 'sqlite::memory:', logger: { warn() {}, error() {} }, env: {} });
  const client = createClient({
    providers: {
      openai: { apiKey: 'sk-reins-test', baseURL: `${simulator.url}/v1` },
      anthropic: { apiKey: 'sk-ant-reins-test', baseURL: simulator.url },
    },
    logger: false,
    sinks: [store.sink()],
  });
  const prompts = createPromptRegistry({ dir: join(ROOT, 'prompts'), git: false });
  const directory = await mkdtemp(join(tmpdir(), 'reins-evals-'));
  return {
    deps: {
      client,
      prompts,
      store: { db: store.db, dialect: store.dialect },
      now: () => new Date(),
      generateId: () => uuidv7(),
    },
    client,
    store,
    simulator,
    prompts,
    directory,
    async writeDataset(rows, name = 'contracts.csv') {
      const lines = ['contract_title,parties,contract_date,contract_type,contract_content,ideal_output'];
      for (let row = 1; row <= rows; row++) {
        lines.push(
          `"Supply agreement ROW-${row}","Acme, Inc. and Bolt ""B"" Ltd",2024-01-${String(row % 28 || 1).padStart(2, '0')},supply,` +
            `"Clause 1. Acme supplies ${row} widgets a month.\nClause 2. Bolt pays within 30 days. ROW-${row}","Acme supplies ${row} widgets monthly; Bolt pays in 30 days."`,
        );
      }
      const path = join(directory, name);
      await writeFile(path, `${lines.join('\n')}\n`);
      return path;
    },
    async close() {
      await store.close();
      await simulator.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
