import { CallLogWriteError } from '../errors.ts';
import type { StoreLogger } from '../logger.ts';

/**
 * What happens when `maxQueue` records are waiting and another arrives: `drop-newest` refuses the
 * new one (what was accepted keeps its place), `drop-oldest` evicts the longest-waiting one. Either
 * way the loss is counted in `dropped`, logged, and reported by the next `flush()`.
 */
export type OverflowPolicy = 'drop-newest' | 'drop-oldest';

export type BatchWriterOptions = {
  /** Most records per transaction (default 256). */
  maxBatch?: number;
  /** How long a partial batch may wait for company (default 50 ms). */
  flushIntervalMs?: number;
  /**
   * Most records in memory, including the batches in flight; beyond it `overflow` applies
   * (default 1,024: about a second of calls at 1,000 calls/s). Bigger absorbs longer database
   * stalls, but when the queue stays full every live record is copied by each young-generation GC,
   * which is what bench/store-writes.ts measured as event-loop stalls.
   */
  maxQueue?: number;
  overflow?: OverflowPolicy;
  /** Batches in flight at once (default 2): the next batch is prepared while one is written. */
  concurrency?: number;
  /** Attempts per batch before its records count as `failed` (default 3). */
  maxAttempts?: number;
  /** Wait before the second attempt; doubles after each (default 200 ms). */
  retryDelayMs?: number;
};

export type WriterStats = {
  /** Records in committed transactions. */
  written: number;
  /** Records refused because the queue was full or the store was closed. */
  dropped: number;
  /** Records lost to database errors (after retries) or that could not be converted to a row. */
  failed: number;
  /** Records waiting, including the batch being written. */
  queued: number;
  /** Committed transactions. */
  batches: number;
  /** Batch attempts that failed and were retried. */
  retries: number;
};

export type BatchWriterDependencies<T, R> = {
  /** Converts an item to what `insert` takes; runs off the caller's path, one item at a time. */
  prepare: (item: T) => R;
  /** Writes one batch, all or nothing. */
  insert: (rows: R[]) => Promise<void>;
  logger: StoreLogger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
};

type Entry<T> = { item: T; seq: number };
type PendingFlush = {
  from: number;
  to: number;
  lost: number;
  cause: unknown;
  settle: (error?: Error) => void;
};

const DROP_LOG_INTERVAL_MS = 5000;
/** Records converted per event-loop turn: converting is synchronous CPU work (~8 µs a record). */
const PREPARE_SLICE = 64;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A bounded, batched, asynchronous writer. `write` only appends to an in-memory queue and returns;
 * a background loop takes up to `maxBatch` records at a time (sooner when a batch is full or a
 * flush is waiting, otherwise after `flushIntervalMs`), converts them and inserts them in one
 * transaction, yielding to the event loop between batches.
 *
 * A record is *acknowledged* when the first `flush()` called after its `write()` resolves: by then
 * its transaction has committed. That flush rejects with `CallLogWriteError` instead when any record
 * in its span was lost.
 *
 * @example
 * const writer = new BatchWriter({ maxBatch: 256 }, { prepare, insert, logger });
 * writer.write(record);
 * await writer.flush();
 */
export class BatchWriter<T, R> {
  readonly #maxBatch: number;
  readonly #flushIntervalMs: number;
  readonly #maxQueue: number;
  readonly #overflow: OverflowPolicy;
  readonly #concurrency: number;
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;
  readonly #dependencies: BatchWriterDependencies<T, R>;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;

  /** Waiting records from `#head` on; slots before it are released (`undefined`) or compacted away. */
  #queue: Array<Entry<T> | undefined> = [];
  #head = 0;
  readonly #inFlight = new Set<Entry<T>[]>();
  #inFlightCount = 0;
  #seq = 0;
  #pumpScheduled = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  #lastFlushTarget = 0;
  #lossesSinceLastFlush = 0;
  #lossCause: unknown;
  #pendingFlushes: PendingFlush[] = [];
  #capacityWaiters: Array<() => void> = [];
  #unloggedDrops = 0;
  #lastDropLog = Number.NEGATIVE_INFINITY;
  #stats = { written: 0, dropped: 0, failed: 0, batches: 0, retries: 0 };

  constructor(options: BatchWriterOptions, dependencies: BatchWriterDependencies<T, R>) {
    this.#maxBatch = Math.max(1, options.maxBatch ?? 256);
    this.#flushIntervalMs = Math.max(0, options.flushIntervalMs ?? 50);
    this.#maxQueue = Math.max(this.#maxBatch, options.maxQueue ?? 1024);
    this.#overflow = options.overflow ?? 'drop-newest';
    this.#concurrency = Math.max(1, options.concurrency ?? 2);
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.#retryDelayMs = options.retryDelayMs ?? 200;
    this.#dependencies = dependencies;
    this.#now = dependencies.now ?? Date.now;
    this.#sleep = dependencies.sleep ?? defaultSleep;
  }

  /** Queues one record; never blocks and never throws. Returns false when the record was dropped. */
  write(item: T): boolean {
    const seq = ++this.#seq;
    if (this.#closed) {
      this.#lose([seq], 'dropped', 'store is closed');
      return false;
    }
    if (this.#queued() >= this.#maxQueue) {
      // With only the in-flight batch in memory there is no "oldest waiting" to evict.
      if (this.#overflow === 'drop-newest' || this.#waiting() === 0) {
        this.#lose([seq], 'dropped', 'queue full');
        return false;
      }
      const [oldest] = this.#take(1);
      this.#lose([oldest!.seq], 'dropped', 'queue full');
    }
    this.#queue.push({ item, seq });
    this.#schedule();
    return true;
  }

  /**
   * Resolves when every record written before the call is committed; rejects with
   * `CallLogWriteError` when some of them were lost instead.
   */
  flush(): Promise<void> {
    const from = this.#lastFlushTarget;
    const to = this.#seq;
    this.#lastFlushTarget = to;
    const lost = this.#lossesSinceLastFlush;
    const cause = this.#lossCause;
    this.#lossesSinceLastFlush = 0;
    this.#lossCause = undefined;
    this.#logDrops(true);
    return new Promise<void>((resolve, reject) => {
      const pending: PendingFlush = {
        from,
        to,
        lost,
        cause,
        settle: (error) => (error === undefined ? resolve() : reject(error)),
      };
      this.#pendingFlushes.push(pending);
      this.#settleFlushes();
      if (this.#pendingFlushes.includes(pending)) this.#schedule();
    });
  }

  /** Flushes, then refuses further writes (they count as dropped). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#releaseCapacityWaiters(true);
    try {
      await this.flush();
    } finally {
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#logDrops(true);
    }
  }

  /** Resolves once the queue has room, for producers that prefer waiting to dropping. */
  waitForCapacity(): Promise<void> {
    if (this.#queued() < this.#maxQueue || this.#closed) return Promise.resolve();
    this.#schedule(true);
    return new Promise((resolve) => this.#capacityWaiters.push(resolve));
  }

  stats(): WriterStats {
    return { ...this.#stats, queued: this.#queued() };
  }

  #queued(): number {
    return this.#queue.length - this.#head + this.#inFlightCount;
  }

  #waiting(): number {
    return this.#queue.length - this.#head;
  }

  /**
   * Removes up to `count` of the oldest waiting records from the queue. Their slots are released at
   * once: a consumed slot that still pointed at its record kept up to 4,096 written records
   * reachable until the next compaction, for every GC to trace or copy. (Alone, not measurable end
   * to end in bench/store-writes.ts: its main-thread scavenges stayed at 20-80 ms on the loaded VM.)
   */
  #take(count: number): Entry<T>[] {
    const end = Math.min(this.#queue.length, this.#head + count);
    const taken = this.#queue.slice(this.#head, end) as Entry<T>[];
    if (end === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else {
      this.#queue.fill(undefined, this.#head, end);
      this.#head = end;
      if (this.#head > 4096 && this.#head * 2 > this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
    }
    return taken;
  }

  #schedule(urgent = false): void {
    if (this.#pumpScheduled) return;
    if (urgent || this.#hasUrgentWork()) {
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#pumpScheduled = true;
      // Never on the caller's stack: the caller's `write` returns before any work starts.
      setImmediate(() => this.#pump());
      return;
    }
    if (this.#waiting() > 0 && this.#inFlight.size === 0) {
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.#schedule(true);
      }, this.#flushIntervalMs);
    }
  }

  #hasUrgentWork(): boolean {
    if (this.#waiting() === 0) return false;
    return this.#closed || this.#waiting() >= this.#maxBatch || this.#pendingFlushes.length > 0;
  }

  /**
   * Starts at most one batch per event-loop turn: preparing a batch is synchronous work, and one
   * turn should never hold more than one batch's worth of it.
   */
  #pump(): void {
    this.#pumpScheduled = false;
    if (this.#waiting() === 0 || this.#inFlight.size >= this.#concurrency) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#take(this.#maxBatch);
    this.#inFlight.add(batch);
    this.#inFlightCount += batch.length;
    void this.#writeBatch(batch).finally(() => {
      this.#inFlight.delete(batch);
      this.#inFlightCount -= batch.length;
      this.#releaseCapacityWaiters();
      this.#settleFlushes();
      this.#schedule();
    });
    this.#schedule();
  }

  async #writeBatch(batch: Entry<T>[]): Promise<void> {
    const rows: R[] = [];
    const seqs: number[] = [];
    const rejected: number[] = [];
    let prepareError: unknown;
    for (let index = 0; index < batch.length; index++) {
      const entry = batch[index]!;
      // A big batch is cheap for the database but its conversion must not hold the event loop:
      // convert a slice per turn.
      if (index > 0 && index % PREPARE_SLICE === 0) await yieldToEventLoop();
      try {
        rows.push(this.#dependencies.prepare(entry.item));
        seqs.push(entry.seq);
      } catch (error) {
        rejected.push(entry.seq);
        prepareError = error;
      }
    }
    if (rejected.length > 0) {
      this.#dependencies.logger.error(
        { err: errorDetails(prepareError), records: rejected.length },
        'call log records could not be converted to rows and were not written',
      );
      this.#lose(rejected, 'failed', prepareError);
    }
    if (rows.length === 0) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#dependencies.insert(rows);
        this.#stats.written += rows.length;
        this.#stats.batches++;
        return;
      } catch (error) {
        if (attempt >= this.#maxAttempts) {
          this.#dependencies.logger.error(
            { err: errorDetails(error), records: rows.length, attempts: attempt },
            'call log batch failed after retries; records were not written',
          );
          this.#lose(seqs, 'failed', error);
          return;
        }
        this.#stats.retries++;
        this.#dependencies.logger.warn(
          { err: errorDetails(error), records: rows.length, attempt },
          'call log batch failed; retrying',
        );
        await this.#sleep(this.#retryDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  #lose(seqs: number[], kind: 'dropped' | 'failed', cause: unknown): void {
    this.#stats[kind] += seqs.length;
    for (const seq of seqs) {
      const owner = this.#pendingFlushes.find((flush) => seq > flush.from && seq <= flush.to);
      if (owner !== undefined) {
        owner.lost++;
        owner.cause ??= cause;
      } else {
        this.#lossesSinceLastFlush++;
        this.#lossCause ??= cause;
      }
    }
    if (kind === 'dropped') {
      this.#unloggedDrops += seqs.length;
      this.#logDrops(false);
    }
    this.#settleFlushes();
  }

  /** The first drop logs at once; later ones are summed into one line per interval. */
  #logDrops(force: boolean): void {
    if (this.#unloggedDrops === 0) return;
    const now = this.#now();
    if (!force && now - this.#lastDropLog < DROP_LOG_INTERVAL_MS) return;
    this.#dependencies.logger.warn(
      {
        dropped: this.#unloggedDrops,
        droppedTotal: this.#stats.dropped,
        maxQueue: this.#maxQueue,
        overflow: this.#overflow,
        closed: this.#closed,
      },
      this.#closed
        ? 'call log writer is closed: records dropped'
        : 'call log writer queue full: records dropped',
    );
    this.#unloggedDrops = 0;
    this.#lastDropLog = now;
  }

  #oldestUnsettled(): number {
    let oldest = this.#queue[this.#head]?.seq ?? Number.POSITIVE_INFINITY;
    for (const batch of this.#inFlight) oldest = Math.min(oldest, batch[0]?.seq ?? oldest);
    return oldest;
  }

  #settleFlushes(): void {
    const oldest = this.#oldestUnsettled();
    const remaining: PendingFlush[] = [];
    for (const flush of this.#pendingFlushes) {
      if (flush.to >= oldest) {
        remaining.push(flush);
      } else if (flush.lost > 0) {
        flush.settle(new CallLogWriteError(flush.lost, flush.cause));
      } else {
        flush.settle();
      }
    }
    this.#pendingFlushes = remaining;
  }

  #releaseCapacityWaiters(force = false): void {
    if (!force && this.#queued() >= this.#maxQueue) return;
    const waiters = this.#capacityWaiters;
    this.#capacityWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function errorDetails(error: unknown): object {
  return error instanceof Error
    ? { type: error.name, message: error.message }
    : { type: typeof error, message: String(error) };
}
