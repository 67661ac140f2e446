import type { CircuitBreaker } from '../../shared/bib/circuit-breaker.js';

export type StopReason = 'deadline' | 'circuit_open';

export interface PoolOptions<T> {
  items: readonly T[];
  concurrency: number;
  breaker: CircuitBreaker;
  /** Why no new item may start now, if one may not (checked before each item). */
  stop: () => StopReason | undefined;
  work: (item: T) => Promise<void>;
}

export interface PoolResult<T> {
  /** Items never started: their leases go back. */
  unstarted: T[];
  stoppedBy: StopReason | undefined;
}

/**
 * Works items `concurrency` at a time. Nothing new starts once `stop` says so; items in flight finish (each
 * Bib call has its timeout). While the circuit is half-open only one item goes (the breaker's single trial);
 * the other workers wait for its outcome instead of being refused. The first error of `work` (the database
 * failing, not Bib: record outcomes are handled inside `work`) stops the pool and is thrown once every worker
 * has stopped.
 */
export async function runPool<T>(o: PoolOptions<T>): Promise<PoolResult<T>> {
  const queue = [...o.items];
  let stoppedBy: StopReason | undefined;
  let failure: { err: unknown } | undefined;
  let trial: Promise<void> | undefined;

  const worker = async (): Promise<void> => {
    while (!failure) {
      const reason = o.stop();
      if (reason) {
        stoppedBy ??= reason;
        return;
      }
      if (trial) {
        await trial.catch(() => undefined);
        continue;
      }
      const item = queue.shift();
      if (item === undefined) return;
      try {
        if (o.breaker.state === 'half-open') {
          trial = o.work(item).finally(() => (trial = undefined));
          await trial;
        } else {
          await o.work(item);
        }
      } catch (err) {
        failure ??= { err };
      }
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, o.items.length)) }, worker));
  // The database failing: the claimed records' leases run out by themselves; the run fails and is retried.
  if (failure) throw failure.err;
  return { unstarted: queue, stoppedBy };
}
