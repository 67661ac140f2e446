import { config } from '../../../shared/config.js';
import { publishOutbox } from '../../../shared/events/outbox.js';

/**
 * Publishes outbox rows whose immediate publish did not happen (the producer died after commit, or
 * Pub/Sub was unreachable). Rows younger than OUTBOX_SWEEP_AFTER_SECONDS are left to the producer.
 * Loops over batches until the backlog is drained or the run's time budget is spent.
 */
export async function sweepOutbox(opts: { budgetMs?: number } = {}): Promise<{ published: number; failed: number; batches: number }> {
  const cfg = config();
  const deadline = Date.now() + (opts.budgetMs ?? 45_000);
  const total = { published: 0, failed: 0, batches: 0 };
  while (Date.now() < deadline) {
    const result = await publishOutbox({ olderThanSeconds: cfg.OUTBOX_SWEEP_AFTER_SECONDS, limit: cfg.OUTBOX_SWEEP_BATCH });
    total.published += result.published;
    total.failed += result.failed;
    total.batches++;
    if (result.published + result.failed < cfg.OUTBOX_SWEEP_BATCH || result.published === 0) break;
  }
  return total;
}
