import type { Writable } from 'node:stream';
import {
  type EvalResultCursor,
  evalRunTotals,
  getEvalRun,
  listEvalResults,
  listEvalRuns,
  setHumanScore,
  updateEvalRun,
} from '@reins/store';
import { EvalsInputError } from '../evals-input-error.ts';
import { exportResultsCsv } from '../report/export-results.ts';
import { type GroupReport, summarizeResults } from '../report/summarize-results.ts';
import { createEvalRun } from '../run/create-eval-run.ts';
import type { EvalDeps } from '../run/eval-deps.ts';
import type { EvalResult } from '../run/eval-result.ts';
import { evalRunConfigSchema } from '../run/eval-run-config.ts';
import { evalRunResults } from '../run/eval-run-results.ts';
import { type EvalRunOutcome, type ExecuteEvalRunOptions, executeEvalRun } from '../run/execute-eval-run.ts';
import { fromStoredResult } from '../run/stored-result.ts';
import { parseScorerSpec } from '../scorers/scorer-spec.ts';
import { datasetInFolder, saveUploadedDataset } from './dataset-location.ts';
import { type EvalCreateBody, evalCreateBodySchema, type HumanScoreBody } from './eval-create-body.ts';
import { type EvalRunPublic, toEvalRunPublic } from './eval-run-public.ts';

export type EvalsServiceOptions = {
  deps: EvalDeps;
  /** Where `dataset.path` is looked up. */
  datasetsDir: string;
  /** Where uploaded datasets are kept for the life of their runs. */
  uploadsDir: string;
};

/** A run's page of results with its reports: `GET /v1/evals/:id`. */
export type EvalRunDetail = {
  run: EvalRunPublic;
  reports: GroupReport[];
  rows: EvalResult[];
  /** Pass as `after` for the next page; `null` on the last. */
  nextCursor: string | null;
};

/**
 * What the API needs of evals, in one object, so the routes stay thin: create a run (queued, to
 * be executed by a task), execute it (the task's body; a retried task resumes where it stopped),
 * list and read runs with their reports and a page of rows, export the CSV, set human scores.
 * Runs are scoped by `owner`: another owner's run reads as absent.
 *
 * @example
 * const evals = createEvalsService({ deps, datasetsDir: 'datasets', uploadsDir: 'data/eval-uploads' });
 * const run = await evals.create(body, owner);
 * await tasks.submit(owner, traceId, { kind: 'eval', input: { runId: run.id } });
 */
export function createEvalsService(options: EvalsServiceOptions) {
  const { deps } = options;

  async function owned(id: string, owner: string | undefined) {
    const run = await getEvalRun(deps.store, id);
    if (run === null || (owner !== undefined && run.owner !== owner)) return null;
    return run;
  }

  async function publicRun(id: string, owner: string | undefined): Promise<EvalRunPublic | null> {
    const run = await owned(id, owner);
    return run === null ? null : toEvalRunPublic(run, await evalRunTotals(deps.store, id));
  }

  return {
    /** Validates the body and the dataset (a `DatasetError` lists every problem) and stores a queued run. */
    async create(input: EvalCreateBody, owner: string | undefined): Promise<EvalRunPublic> {
      const body = evalCreateBodySchema.parse(input);
      const dataset =
        'path' in body.dataset
          ? datasetInFolder(options.datasetsDir, body.dataset.path)
          : await saveUploadedDataset(
              options.uploadsDir,
              body.dataset.content,
              body.dataset.format,
              body.dataset.name,
            );
      const run = await createEvalRun(deps, {
        dataset,
        ...('format' in body.dataset ? { format: body.dataset.format } : {}),
        template: body.template,
        ...(body.versions === undefined ? {} : { versions: body.versions }),
        models: body.models,
        scorers: body.scorers.map((scorer) =>
          typeof scorer === 'string' ? parseScorerSpec(scorer) : scorer,
        ),
        ...(body.judgeModel === undefined ? {} : { judgeModel: body.judgeModel }),
        ...(body.maxTokens === undefined ? {} : { maxTokens: body.maxTokens }),
        ...(body.temperature === undefined ? {} : { temperature: body.temperature }),
        ...(body.concurrency === undefined ? {} : { concurrency: body.concurrency }),
        ...(body.budgetUsd === undefined ? {} : { budgetUsd: body.budgetUsd }),
        ...(body.name === undefined ? {} : { name: body.name }),
        ...(owner === undefined ? {} : { owner }),
        status: 'queued',
      });
      return toEvalRunPublic(run, await evalRunTotals(deps.store, run.id));
    },

    /** Records which task runs it. */
    async attachTask(id: string, taskId: string): Promise<void> {
      await updateEvalRun(deps.store, id, { taskId, now: deps.now().toISOString() });
    },

    /** Runs or resumes a run: the body of the `eval` task kind. */
    execute(id: string, executeOptions: ExecuteEvalRunOptions = {}): Promise<EvalRunOutcome> {
      // A task retried after its worker died waits out that worker's lease (30 s) rather than fail.
      return executeEvalRun(deps, id, { leaseWaitMs: 40_000, ...executeOptions });
    },

    /** Newest first. */
    async list(filter: { owner?: string; template?: string; limit?: number; cursor?: string } = {}) {
      const page = await listEvalRuns(deps.store, filter);
      const items = await Promise.all(
        page.items.map(async (run) => toEvalRunPublic(run, await evalRunTotals(deps.store, run.id))),
      );
      return { items, nextCursor: page.nextCursor };
    },

    get: publicRun,

    /** The run, its reports, and a page of its rows in dataset order. */
    async detail(
      id: string,
      owner: string | undefined,
      page: { limit?: number; after?: string } = {},
    ): Promise<EvalRunDetail | null> {
      const run = await publicRun(id, owner);
      if (run === null) return null;
      const limit = Math.min(Math.max(page.limit ?? 50, 1), 500);
      const records = await listEvalResults(deps.store, id, {
        limit: limit + 1,
        ...(page.after === undefined ? {} : { after: decodeCursor(page.after) }),
      });
      const rows = records.slice(0, limit).map(fromStoredResult);
      const last = rows.at(-1);
      return {
        run,
        reports: await summarizeResults(evalRunResults(deps.store, id)),
        rows,
        nextCursor: records.length > limit && last !== undefined ? encodeCursor(last) : null,
      };
    },

    /** Streams the Workbench CSV; resolves to the rows written, or `null` for no such run. */
    async exportCsv(id: string, owner: string | undefined, output: Writable): Promise<number | null> {
      const run = await owned(id, owner);
      if (run === null) return null;
      const { variables } = evalRunConfigSchema.parse(run.config);
      return exportResultsCsv(evalRunResults(deps.store, id), output, { variables });
    },

    /** Sets a person's score on a row; resolves to the results scored (0: no such row), `null`: no such run. */
    async score(
      id: string,
      owner: string | undefined,
      row: number,
      body: HumanScoreBody,
    ): Promise<number | null> {
      if ((await owned(id, owner)) === null) return null;
      return setHumanScore(deps.store, {
        runId: id,
        row,
        score: body.score,
        ...(body.model === undefined ? {} : { model: body.model }),
        ...(body.promptVersion === undefined ? {} : { promptVersion: body.promptVersion }),
        ...(body.note === undefined ? {} : { note: body.note }),
        now: deps.now().toISOString(),
      });
    },
  };
}

export type EvalsService = ReturnType<typeof createEvalsService>;

function encodeCursor(result: EvalResult): string {
  return Buffer.from(JSON.stringify([result.row, result.model, result.promptVersion])).toString('base64url');
}

function decodeCursor(value: string): EvalResultCursor {
  try {
    const [row, model, promptVersion] = JSON.parse(
      Buffer.from(value, 'base64url').toString('utf8'),
    ) as unknown[];
    if (typeof row === 'number' && typeof model === 'string' && typeof promptVersion === 'string') {
      return { row, model, promptVersion };
    }
  } catch {
    // reported below
  }
  throw new EvalsInputError('after', "invalid 'after': not a cursor returned by this endpoint");
}
