import { bibWebhookEvent, type BibWebhookEvent } from '../../../shared/bib/contract.js';
import { bibWebhookSecrets } from '../../../shared/bib/bib.js';
import { verifySignature } from '../../../shared/bib/hmac.js';
import { systemActor, withTransaction } from '../../../shared/db/tx.js';
import { AppError } from '../../../shared/errors.js';
import { fieldErrors } from '../../../shared/http/validation.js';
import type { Logger } from '../../../shared/logging.js';
import { applyBibOrder, type ApplyOutcome } from '../../../shared/instructions/apply-bib-order.js';
import { isEventSeen, recordEvent } from './bib-webhook-event.repo.js';

export const receiveOutcomes = ['applied', 'unchanged', 'stale', 'unknown', 'mismatch', 'duplicate'] as const;
export type ReceiveOutcome = ApplyOutcome | 'duplicate';

export interface ReceiveBibEventOptions {
  /** The body exactly as received: what Bib signed. */
  rawBody: Buffer | undefined;
  /** The Bib-Signature header. */
  signature: string | undefined;
  /** The body as JSON, read only once the signature holds. */
  body: unknown;
  log: Logger;
}

/** A delivery of the same event committed while this one was applying it: this one is undone. */
class DuplicateDelivery extends Error {}

/**
 * One of Bib's webhook calls: the signature over the raw body first (any failure is the same bare 401, the reason
 * only logged), then the event; an event id seen before changes nothing. The order is applied in the transaction
 * that records the event, so a failed apply leaves the event unseen and Bib's retry applies it. An unknown
 * instruction is recorded and acknowledged: retrying would not make it known.
 */
export async function receiveBibEvent(o: ReceiveBibEventOptions): Promise<{ status: ReceiveOutcome }> {
  const check = verifySignature({ header: o.signature, payload: o.rawBody ?? Buffer.alloc(0), secrets: await bibWebhookSecrets() });
  if (!check.ok) {
    o.log.warn({ reason: check.reason }, 'Bib webhook refused: signature');
    throw new AppError('WEBHOOK_SIGNATURE_INVALID');
  }
  const parsed = bibWebhookEvent.safeParse(o.body);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', { errors: fieldErrors(parsed.error, 'body') });
  const event = parsed.data;
  try {
    const status = await withTransaction(systemActor, async (tx): Promise<ReceiveOutcome> => {
      if (await isEventSeen(tx, event.id)) return 'duplicate';
      const outcome = await applyBibOrder(event.data.order, { tx, log: o.log });
      if (!(await recordEvent(tx, seenEvent(event, outcome)))) throw new DuplicateDelivery();
      return outcome;
    });
    o.log.info({ eventId: event.id, orderId: event.data.order.id, outcome: status }, 'Bib webhook event');
    return { status };
  } catch (err) {
    if (err instanceof DuplicateDelivery) return { status: 'duplicate' };
    throw err;
  }
}

const seenEvent = (event: BibWebhookEvent, outcome: ApplyOutcome) => ({
  eventId: event.id,
  orderId: event.data.order.id,
  instructionId: event.data.order.clientRef,
  outcome,
});
