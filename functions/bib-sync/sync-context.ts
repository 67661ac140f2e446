import type { z } from 'zod';
import type { BibClient } from '../../shared/bib/client.js';
import type { Logger } from '../../shared/logging.js';
import type { RunReport } from './run-report.js';
import type { SyncTable } from './sync-claims.repo.js';
import type { StopReason } from './work-pool.js';

export interface SyncLimits {
  /** Records claimed per round, of each kind. */
  batch: number;
  /** Records worked at once. */
  concurrency: number;
  /** No new work starts after this long. */
  maxMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** After this many failed attempts a record is FAILED until an admin asks for it again. */
  maxAttempts: number;
  /** How long a claim keeps other runs off a record (must outlast the run). */
  leaseSeconds: number;
}

/** What one run's steps share: the client, its limits, its counters and the records it holds until it ends. */
export interface SyncContext {
  client: BibClient;
  limits: SyncLimits;
  log: Logger;
  report: RunReport;
  /** Why no new work may start now, if so. */
  stop: () => StopReason | undefined;
  /** Records this run tried and will retry later: leased until the run ends, so it does not take them again. */
  hold: (table: SyncTable, companyId: number, id: string) => void;
  random: () => number;
}

/** A record that cannot be sent as it is (unreadable personal data, a payload outside the contract): FAILED. */
export class PayloadProblem extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PayloadProblem';
  }
}

/** The payload as the contract wants it, or a PayloadProblem naming the fields (never their values: personal data). */
export function sendable<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  throw new PayloadProblem(`not sendable to Bib: ${[...new Set(parsed.error.issues.map((i) => i.path.join('.')))].join(', ')}`);
}
