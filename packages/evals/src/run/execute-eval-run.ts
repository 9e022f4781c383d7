import { hostname } from 'node:os';
import {
  acquireEvalRunLease,
  deleteFailedEvalResults,
  type EvalRunRecord,
  evalCellKey,
  evalRunTotals,
  finishedEvalCells,
  getEvalRun,
  insertEvalResults,
  renewEvalRunLease,
  updateEvalRun,
} from '@reins/store';
import { readDataset } from '../dataset/read-dataset.ts';
import { validateDataset } from '../dataset/validate-dataset.ts';
import { EvalsError } from '../evals-error.ts';
import { createScorer } from '../scorers/create-scorer.ts';
import { scorerNeedsIdealOutput } from '../scorers/scorer-needs-ideal-output.ts';
import { createAdaptiveConcurrency } from './adaptive-concurrency.ts';
import { datasetSpecForVersions } from './dataset-spec-for-versions.ts';
import type { EvalDeps } from './eval-deps.ts';
import { type EvalProgress, estimateRemainingMs } from './eval-progress.ts';
import type { EvalResult } from './eval-result.ts';
import { EvalRunBusyError } from './eval-run-busy-error.ts';
import { type EvalRunConfig, evalRunConfigSchema } from './eval-run-config.ts';
import { isStopError } from './is-stop-error.ts';
import { leaseHolderGone } from './lease-holder-gone.ts';
import { type Cell, renderCell, runCell } from './run-cell.ts';
import { runPool } from './run-pool.ts';
import { toStoredResult } from './stored-result.ts';

export type ExecuteEvalRunOptions = {
  /** Aborting stops starting cells and aborts those in flight; they stay unfinished. */
  signal?: AbortSignal;
  onProgress?: (progress: EvalProgress) => void;
  onResult?: (result: EvalResult) => void;
  /** Overrides the stored budget (a resume with more money). */
  budgetUsd?: number;
  /** Overrides the stored concurrency: a number, or `auto` (see adaptive-concurrency.ts). */
  concurrency?: number | 'auto';
  /**
   * With `auto`: stop raising the concurrency while this process's resident memory is above
   * this many MB (it is never cut for memory; a fixed concurrency ignores it). The CLI sets it
   * (`--memory-mb`, default 256): cells in flight beyond what the limits need only buy speed
   * through a burst, and each one's garbage raises the peak the GC lets the heap reach.
   */
  memoryBudgetMb?: number;
  /** Run the cells that failed last time again (their error results are deleted first). */
  retryErrors?: boolean;
  /** More call-log tags for every call of the run (the API adds the key owner's). */
  tags?: string[];
  /**
   * How long the run's lease lasts between renewals (default 30 s; renewed every third of it).
   * A process killed without a word leaves its run `running` in the store; once this much time
   * has passed without a renewal, readers show it `interrupted` and a resume may take it.
   */
  leaseTtlMs?: number;
  /**
   * How long to wait for another process's lease to expire before giving up with
   * `EvalRunBusyError` (default 0: give up at once). A task retried after its worker crashed
   * waits out the dead worker's lease this way.
   */
  leaseWaitMs?: number;
};

/** Why a run that did not complete stopped. `lease-lost`: another process took the run over. */
export type EvalStopReason = 'budget' | 'aborted' | 'error' | 'lease-lost';

const DEFAULT_LEASE_TTL_MS = 30_000;

export type EvalRunOutcome = {
  run: EvalRunRecord;
  stopReason: EvalStopReason | null;
  progress: EvalProgress;
};

/**
 * Runs (or resumes) a stored run: checks the dataset and templates are the ones it started
 * with, skips every cell already in the store, and works through the rest row by row with
 * bounded concurrency, writing each result the moment it is graded, so a crash loses at most
 * the cells in flight and a resume never runs a finished cell again. With a budget, a cell only
 * starts when its worst-case cost (the client's estimate) still fits; otherwise the run stops
 * cleanly as `stopped` and can be resumed with more.
 *
 * @example
 * const { run, stopReason } = await executeEvalRun(deps, runId, { onProgress: (p) => bar.update(p) });
 */
export async function executeEvalRun(
  deps: EvalDeps,
  runId: string,
  options: ExecuteEvalRunOptions = {},
): Promise<EvalRunOutcome> {
  const stored = await getEvalRun(deps.store, runId);
  if (stored === null) throw new EvalsError(`no eval run ${runId}`);
  const config = evalRunConfigSchema.parse(stored.config);
  const budgetUsd = options.budgetUsd ?? config.budgetUsd;
  const leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  const owner = `${hostname()}:${process.pid}:${deps.generateId().slice(-8)}`;
  await takeLease(deps, runId, owner, leaseTtlMs, options.leaseWaitMs ?? 0);
  let leaseLost = false;
  let renewing: Promise<void> | undefined;
  const heartbeat = setInterval(() => {
    renewing ??= renewEvalRunLease(deps.store, runId, { owner, now: deps.now(), ttlMs: leaseTtlMs })
      .then((held) => {
        if (!held) leaseLost = true;
      })
      // A failed renewal (the database briefly away) is retried on the next beat; the lease
      // outlives two missed beats.
      .catch(() => {})
      .finally(() => {
        renewing = undefined;
      });
  }, leaseTtlMs / 3);
  heartbeat.unref();
  let settled = false;
  try {
    await checkUnchanged(deps, config);
    const scorers = config.scorers.map((spec) =>
      createScorer(spec, { client: deps.client, defaultJudgeModel: config.judgeModel ?? config.models[0]! }),
    );
    const outcome = await executeLeased(deps, runId, options, {
      stored,
      config,
      budgetUsd,
      scorers,
      owner,
      leaseLost: () => leaseLost,
    });
    settled = true;
    return outcome;
  } finally {
    clearInterval(heartbeat);
    await renewing;
    // Refused before any cell ran (a changed dataset or template): the run is as it was.
    if (!settled) {
      await updateEvalRun(deps.store, runId, { releaseLeaseOf: owner, now: iso(deps) }).catch(() => {});
    }
  }
}

type Leased = {
  stored: EvalRunRecord;
  config: EvalRunConfig;
  budgetUsd: number | undefined;
  scorers: ReturnType<typeof createScorer>[];
  owner: string;
  leaseLost: () => boolean;
};

async function executeLeased(
  deps: EvalDeps,
  runId: string,
  options: ExecuteEvalRunOptions,
  { stored, config, budgetUsd, scorers, owner, leaseLost }: Leased,
): Promise<EvalRunOutcome> {
  if (options.retryErrors === true) await deleteFailedEvalResults(deps.store, runId);
  const done = await finishedEvalCells(deps.store, runId);
  const before = await evalRunTotals(deps.store, runId);
  await updateEvalRun(deps.store, runId, {
    status: 'running',
    error: null,
    finishedAt: null,
    now: iso(deps),
  });

  const started = deps.now().getTime();
  const progress: Omit<EvalProgress, 'etaMs' | 'elapsedMs'> = {
    runId,
    total: stored.totalCells,
    done: before.results,
    resumed: before.results,
    errors: before.errors,
    inFlight: 0,
    spentUsd: before.costUsd + before.judgeCostUsd,
  };
  const report = () => {
    const elapsedMs = deps.now().getTime() - started;
    const current = { ...progress, elapsedMs };
    options.onProgress?.({ ...current, etaMs: estimateRemainingMs(current) });
  };

  let reserved = 0;
  const reservations = new Map<Cell, number>();
  let stopReason: EvalStopReason | null = null;
  let fatal: unknown;

  async function* cells(): AsyncGenerator<Cell> {
    const { spec } = datasetSpecForVersions(
      deps.prompts,
      config.versions,
      config.scorers.some(scorerNeedsIdealOutput),
    );
    for await (const row of readDataset(config.dataset, spec)) {
      for (const version of config.versions) {
        for (const model of config.models) {
          if (!done.has(evalCellKey(row.row, model, version.label))) yield { row, version, model };
        }
      }
    }
  }

  const admit = async (cell: Cell): Promise<boolean> => {
    if (budgetUsd === undefined) return true;
    let worst = 0;
    try {
      worst = (await deps.client.estimate(renderCell(deps, config, cell).request)).maxCostUsd ?? 0;
    } catch {
      // A cell that cannot be rendered or estimated costs nothing: it fails without a call.
    }
    if (progress.spentUsd + reserved + worst > budgetUsd) {
      stopReason = 'budget';
      return false;
    }
    reserved += worst;
    reservations.set(cell, worst);
    return true;
  };

  const concurrency = options.concurrency ?? config.concurrency;
  const budgetBytes = options.memoryBudgetMb === undefined ? undefined : options.memoryBudgetMb * 1024 * 1024;
  const adaptive =
    concurrency === 'auto'
      ? createAdaptiveConcurrency({
          now: () => deps.now().getTime(),
          ...(budgetBytes === undefined
            ? {}
            : {
                canGrow: () => {
                  const under = process.memoryUsage.rss() < budgetBytes;
                  progress.heldByMemory = !under;
                  return under;
                },
              }),
        })
      : undefined;

  const work = async (cell: Cell): Promise<void> => {
    progress.inFlight += 1;
    const startedAt = deps.now().getTime();
    try {
      const result = await runCell(
        deps,
        {
          runId,
          config,
          scorers,
          ...signalOf(options),
          ...(options.tags === undefined ? {} : { tags: options.tags }),
        },
        cell,
      );
      await insertEvalResults(deps.store, [toStoredResult(result)]);
      progress.done += 1;
      if (result.status === 'error') progress.errors += 1;
      // A failed cell's latency (often no call at all) says nothing about the pipe.
      else adaptive?.record(deps.now().getTime() - startedAt);
      progress.spentUsd +=
        (result.costUsd ?? 0) + result.scores.reduce((sum, score) => sum + (score.judge?.costUsd ?? 0), 0);
      options.onResult?.(result);
    } catch (error) {
      if (!isStopError(error, options.signal)) throw error;
      stopReason ??= options.signal?.aborted === true ? 'aborted' : 'budget';
    } finally {
      progress.inFlight -= 1;
      reserved -= reservations.get(cell) ?? 0;
      reservations.delete(cell);
      report();
    }
  };

  report();
  try {
    await runPool(cells(), work, {
      concurrency: typeof concurrency === 'number' ? concurrency : () => adaptive?.limit ?? 1,
      admit,
      stopped: () => {
        if (leaseLost()) stopReason ??= 'lease-lost';
        return stopReason !== null || options.signal?.aborted === true;
      },
    });
  } catch (error) {
    fatal = error;
  }
  if (fatal === undefined && stopReason === null && options.signal?.aborted === true) stopReason = 'aborted';
  if (fatal !== undefined) stopReason = 'error';

  const totals = await evalRunTotals(deps.store, runId).catch(() => undefined);
  const complete = totals !== undefined && totals.results >= stored.totalCells;
  const now = iso(deps);
  const finished = await updateEvalRun(deps.store, runId, {
    status: fatal !== undefined ? 'failed' : complete ? 'completed' : 'stopped',
    error:
      complete && fatal === undefined ? null : describeStop(stopReason, fatal, budgetUsd, progress.spentUsd),
    finishedAt: now,
    releaseLeaseOf: owner,
    now,
  }).catch(() => null);
  if (fatal !== undefined) throw fatal;
  const elapsedMs = deps.now().getTime() - started;
  return {
    run: finished ?? stored,
    stopReason: complete ? null : stopReason,
    progress: { ...progress, elapsedMs, etaMs: complete ? 0 : null },
  };
}

function iso(deps: Pick<EvalDeps, 'now'>): string {
  return deps.now().toISOString();
}

function signalOf(options: ExecuteEvalRunOptions): { signal?: AbortSignal } {
  return options.signal === undefined ? {} : { signal: options.signal };
}

function describeStop(
  reason: EvalStopReason | null,
  fatal: unknown,
  budgetUsd: number | undefined,
  spentUsd: number,
) {
  if (reason === 'budget') return { reason, message: `budget of $${budgetUsd} reached`, budgetUsd, spentUsd };
  if (reason === 'aborted') return { reason, message: 'interrupted' };
  if (reason === 'lease-lost') return { reason, message: 'another process took the run over' };
  if (fatal !== undefined) {
    return { reason: 'error', message: fatal instanceof Error ? fatal.message : String(fatal) };
  }
  return { reason: 'incomplete', message: 'some cells have no result' };
}

/** Takes the run's lease, waiting up to `waitMs` for another holder's lease to run out. */
async function takeLease(deps: EvalDeps, runId: string, owner: string, ttlMs: number, waitMs: number) {
  const deadline = deps.now().getTime() + waitMs;
  let takeOverFrom: string | undefined;
  for (;;) {
    const taken = await acquireEvalRunLease(deps.store, runId, {
      owner,
      now: deps.now(),
      ttlMs,
      ...(takeOverFrom === undefined ? {} : { takeOverFrom }),
    });
    if (taken !== null) return;
    const current = await getEvalRun(deps.store, runId);
    if (current === null) throw new EvalsError(`no eval run ${runId}`);
    // Killed on this machine (its pid is gone): no need to wait for its lease to run out.
    if (
      current.leaseOwner !== null &&
      current.leaseOwner !== takeOverFrom &&
      leaseHolderGone(current.leaseOwner)
    ) {
      takeOverFrom = current.leaseOwner;
      continue;
    }
    const wait = Math.min(1_000, deadline - deps.now().getTime());
    if (wait <= 0) throw new EvalRunBusyError(runId, current.leaseOwner, current.leaseExpiresAt);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** A resumed run must see the same dataset bytes and the same template texts. */
async function checkUnchanged(deps: EvalDeps, config: EvalRunConfig): Promise<void> {
  for (const version of config.versions) {
    const current = deps.prompts.get(version.ref);
    if (current.hash !== version.hash) {
      throw new EvalsError(
        `template ${version.ref} changed since the run started (${version.label}); pin the version (name@version) or start a new run`,
      );
    }
  }
  const { spec } = datasetSpecForVersions(
    deps.prompts,
    config.versions,
    config.scorers.some(scorerNeedsIdealOutput),
  );
  const summary = await validateDataset(config.dataset, spec);
  if (summary.fingerprint !== config.dataset.fingerprint) {
    throw new EvalsError(`dataset ${config.dataset.path} changed since the run started; start a new run`);
  }
}
