import type { Logger } from '../../shared/logging.js';

/** What a run did, per kind of record: the structured log line at its end and the run's return value. */
export interface PushCounts {
  /** Leases taken. */
  claimed: number;
  /** Created at Bib and recorded (investor linked, instruction SUBMITTED). */
  synced: number;
  /** Of those, Bib already had them (a retry of a call that had reached it). */
  replayed: number;
  /** Transient failure: retried later with backoff. */
  retried: number;
  /** FAILED: refused by Bib, unreadable, or out of attempts. */
  failed: number;
  /** Not tried yet: an instruction whose investor is not at Bib. */
  deferred: number;
  /** Claimed but not started (deadline, open circuit): the lease went back, no attempt counted. */
  released: number;
  /** No longer due when read (linked by hand, cancelled, done by another run). */
  skipped: number;
  /** Pushed, but an admin had linked it by hand meanwhile: the manual link was kept. */
  keptManualLink: number;
}

export interface OrderCounts {
  pages: number;
  seen: number;
  applied: number;
  unchanged: number;
  stale: number;
  unknown: number;
  mismatch: number;
}

export type StoppedBy = 'done' | 'deadline' | 'circuit_open';

export interface RunReport {
  scope: string;
  stoppedBy: StoppedBy;
  durationMs: number;
  investors: PushCounts;
  instructions: PushCounts;
  orders: OrderCounts;
  /** The scheduled run refreshes the product cache first: how many products, or that it failed. */
  products: { refreshed: number | null; failed: boolean } | null;
  bibCalls: number;
  circuitOpened: number;
}

const pushCounts = (): PushCounts => ({ claimed: 0, synced: 0, replayed: 0, retried: 0, failed: 0, deferred: 0, released: 0, skipped: 0, keptManualLink: 0 });

export function newReport(scope: string): RunReport {
  return {
    scope,
    stoppedBy: 'done',
    durationMs: 0,
    investors: pushCounts(),
    instructions: pushCounts(),
    orders: { pages: 0, seen: 0, applied: 0, unchanged: 0, stale: 0, unknown: 0, mismatch: 0 },
    products: null,
    bibCalls: 0,
    circuitOpened: 0,
  };
}

/** One line per run, counts only (no ids, no personal data), so runs can be charted and alerted on. */
export function logReport(log: Logger, report: RunReport): void {
  const level = report.investors.failed + report.instructions.failed > 0 || report.stoppedBy === 'circuit_open' ? 'warn' : 'info';
  log[level]({ bibSync: report }, 'bib sync run finished');
}
