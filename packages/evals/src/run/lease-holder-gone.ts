import { hostname } from 'node:os';

/**
 * Whether the process named by a run's lease owner (`host:pid:random`) is known to be dead: it
 * ran on this machine and no process has its pid. A holder on another machine, or a live pid,
 * is not known dead (its lease expiring is what tells). Lets a resume on the same machine take a
 * `kill -9`ed run at once instead of waiting out the lease, and `reins eval list` say so.
 *
 * @example
 * if (run.status === 'running' && run.leaseOwner !== null && leaseHolderGone(run.leaseOwner)) show('interrupted');
 */
export function leaseHolderGone(owner: string, host: string = hostname()): boolean {
  const parts = owner.split(':');
  if (parts.length < 3) return false;
  const pid = Number(parts.at(-2));
  if (parts.slice(0, -2).join(':') !== host || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: the pid exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
