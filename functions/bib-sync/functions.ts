import { eventFunction, scheduledFunction, type FunctionDef } from '../../shared/runtime/functions.js';
import { syncOnRequest } from './sync-on-request.js';
import { runSync } from './run-sync.js';

/**
 * bibSync: a run on demand (bib.sync.requested: an admin's "sync now", for a company or named records).
 * bibSyncScheduled: every 5 minutes, everything due in every tenant, the product cache first.
 */
export const bibSyncFunctions: readonly FunctionDef[] = [
  eventFunction('bibSync', 'bib.sync.requested', syncOnRequest),
  scheduledFunction({
    name: 'bibSyncScheduled',
    schedule: '*/5 * * * *',
    timeZone: 'Asia/Jakarta',
    run: async () => ({ ...(await runSync({ scope: { scope: 'all' }, refreshProducts: true })) }),
  }),
];
