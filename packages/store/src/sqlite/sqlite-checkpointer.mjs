/**
 * The checkpointer: a second thread with its own connection that moves committed pages from the
 * WAL into the database file, in PASSIVE mode, which never takes the write lock: the writer keeps
 * writing while this thread copies and fsyncs. SQLite's automatic checkpoint would do that copy
 * and fsync inside the writing connection; on the development VM that doubled the time per batch
 * (bench/store-writes.ts).
 *
 * PASSIVE alone never resets the WAL while a writer never pauses (the checkpoint always ends a
 * few frames behind). So the writer connection keeps SQLite's own automatic checkpoint, at a high
 * bound (`wal_autocheckpoint`, set in sqlite-executor.ts): when the WAL passes it, the writer's
 * own PASSIVE checkpoint copies only the frames this thread has not copied yet, and its next
 * transaction starts the WAL over. No checkpoint here waits for the writer or blocks it (a
 * TRUNCATE checkpoint used to: ~300 ms per 64 MB of WAL, plus the writer's busy-wait steps).
 *
 * Plain JavaScript on purpose, importing only `node:` modules: a worker that loads a `.ts` file
 * starts Node's type stripper in its own isolate (~20 MB more RSS than this file needs).
 *
 * workerData: `{ path: string, intervalMs: number }`. Messages: `'close'` → final checkpoint,
 * close, reply `'closed'`.
 */
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

const port = parentPort;
if (port === null) throw new Error('sqlite-checkpointer.mjs must run in a worker thread');
const { path, intervalMs } = workerData;

/** While the writer is ahead, the next pass starts this soon: the fewer frames are left for the writer. */
const BUSY_INTERVAL_MS = 10;

const database = new DatabaseSync(path);
database.exec('PRAGMA busy_timeout = 5000');
const passive = database.prepare('PRAGMA wal_checkpoint(PASSIVE)');

/** One PASSIVE pass; true when frames were left behind (the writer wrote during it). */
function checkpoint() {
  try {
    const { log, checkpointed } = passive.get();
    return checkpointed < log;
  } catch {
    // Busy (another connection is checkpointing): the next tick tries again.
    return false;
  }
}

let timer = setTimeout(function tick() {
  timer = setTimeout(tick, checkpoint() ? BUSY_INTERVAL_MS : intervalMs);
}, intervalMs);
port.on('message', (message) => {
  if (message !== 'close') return;
  clearTimeout(timer);
  checkpoint();
  database.close();
  port.postMessage('closed');
  port.close();
});
