import { EvalsError } from '../evals-error.ts';

/**
 * The run is being run by another live process (it holds the run's lease): a second `--resume`
 * of the same run refuses rather than run its cells twice. Retrying after `leaseExpiresAt` helps
 * only if that process has died.
 *
 * @example
 * try { await executeEvalRun(deps, runId) } catch (error) { if (error instanceof EvalRunBusyError) console.error(error.holder) }
 */
export class EvalRunBusyError extends EvalsError {
  readonly runId: string;
  readonly holder: string | null;
  readonly leaseExpiresAt: string | null;

  constructor(runId: string, holder: string | null, leaseExpiresAt: string | null) {
    super(
      `eval run ${runId} is already running${holder === null ? '' : ` in ${holder}`}${
        leaseExpiresAt === null ? '' : ` (its lease runs until ${leaseExpiresAt} unless renewed)`
      }; wait for it to finish or stop it first`,
    );
    this.name = 'EvalRunBusyError';
    this.runId = runId;
    this.holder = holder;
    this.leaseExpiresAt = leaseExpiresAt;
  }
}
