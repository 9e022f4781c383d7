/**
 * The checkpointer: a second thread with its own connection that moves committed pages from the
 * WAL into the database file. SQLite's automatic checkpoint runs inside the writing transaction and
 * ends in an fsync; on a slow disk that doubled the time per batch (bench/store-writes.ts). Here
 * the writer connection has `wal_autocheckpoint = 0` and this thread checkpoints on a timer
 * instead, in PASSIVE mode, which never blocks the writer. If the WAL still grows past a bound
 * (a writer that never pauses), a TRUNCATE checkpoint waits for the writer once and resets it.
 */
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

export type CheckpointerOptions = { path: string; intervalMs: number; truncateAboveBytes: number };

const port = parentPort;
if (port === null) throw new Error('sqlite-checkpointer.ts must run in a worker thread');
const { path, intervalMs, truncateAboveBytes } = workerData as CheckpointerOptions;

const database = new DatabaseSync(path);
database.exec('PRAGMA busy_timeout = 5000');
const passive = database.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const truncate = database.prepare('PRAGMA wal_checkpoint(TRUNCATE)');
const pageSize = Number((database.prepare('PRAGMA page_size').get() as { page_size: number }).page_size);

function checkpoint(): void {
  try {
    const { log } = passive.get() as { busy: number; log: number; checkpointed: number };
    if (log * pageSize > truncateAboveBytes) truncate.get();
  } catch {
    // Busy or locked by another process's checkpoint: the next tick tries again.
  }
}

const timer = setInterval(checkpoint, intervalMs);
port.on('message', (message: 'close') => {
  if (message !== 'close') return;
  clearInterval(timer);
  checkpoint();
  database.close();
  port.postMessage('closed');
  port.close();
});
