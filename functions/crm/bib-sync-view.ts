import { z } from 'zod';

/**
 * Where a record stands with Bib (bib-sync's bookkeeping, migration 0009), as investors and instructions show
 * it: how often the push was tried, why it last failed (kind, status and Bib's code; never personal data),
 * when it is tried next, and when it reached Bib.
 */
export const syncStatuses = ['NOT_READY', 'PENDING', 'SYNCED', 'FAILED'] as const;
export type SyncStatus = (typeof syncStatuses)[number];

export const bibSyncSchema = z.object({
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  syncedAt: z.string().nullable(),
});
export type BibSyncView = z.infer<typeof bibSyncSchema>;

export interface BibSyncRecord {
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  syncedAt: Date | null;
}

export interface BibSyncRow {
  sync_attempts: number;
  sync_error: string | null;
  sync_next_at: Date | null;
  synced_at: Date | null;
}

/** The columns, for a select list over the table aliased `i`. */
export const bibSyncColumns = 'i.sync_attempts, i.sync_error, i.sync_next_at, i.synced_at';

export function toBibSync(r: BibSyncRow): BibSyncRecord {
  return { attempts: r.sync_attempts, lastError: r.sync_error, nextAttemptAt: r.sync_next_at, syncedAt: r.synced_at };
}

export function bibSyncView(s: BibSyncRecord): BibSyncView {
  return { attempts: s.attempts, lastError: s.lastError, nextAttemptAt: s.nextAttemptAt?.toISOString() ?? null, syncedAt: s.syncedAt?.toISOString() ?? null };
}
