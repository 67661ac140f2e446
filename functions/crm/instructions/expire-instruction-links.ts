import { systemActor, withTransaction } from '../../../shared/db/tx.js';
import { logger } from '../../../shared/logging.js';
import { expireInstructions, findExpiredLinks } from './instruction-expiry.repo.js';
import { pushInstructionStatus } from '../../../shared/instructions/instruction-push.js';

/** Instructions looked at per run; the schedule (every 5 minutes) takes the rest on the next run. */
const batch = 500;

/**
 * Scheduled: pending instructions whose signature link ran out become EXPIRED, and each RM hears of its own
 * by push. The look-up spans tenants (a SECURITY DEFINER function); each tenant's instructions are then
 * expired under RLS as that tenant, in a transaction of its own: a tenant that fails is logged and retried on
 * the next run, and holds up no other.
 */
export async function expireInstructionLinks(): Promise<Record<string, number>> {
  const due = await withTransaction(systemActor, (tx) => findExpiredLinks(tx, batch));
  const byCompany = new Map<number, string[]>();
  for (const d of due) byCompany.set(d.companyId, [...(byCompany.get(d.companyId) ?? []), d.id]);
  let expired = 0;
  let failed = 0;
  for (const [companyId, ids] of byCompany) {
    try {
      expired += await withTransaction({ companyIds: [companyId] }, async (tx) => {
        const done = await expireInstructions(tx, ids);
        for (const i of done) await pushInstructionStatus(tx, { ...i, status: 'EXPIRED' });
        return done.length;
      });
    } catch (err) {
      failed++;
      logger().error({ err, companyId }, 'expiring instruction links failed for a company');
    }
  }
  return { due: due.length, expired, companies: byCompany.size, failedCompanies: failed };
}
