import type { CloudEventFunction } from '@google-cloud/functions-framework';
import { decodeMessage } from '../../shared/events/consumer.js';
import { logger } from '../../shared/logging.js';
import { runSync } from './run-sync.js';

/**
 * The bib.sync.requested consumer. Not defineConsumer: that would hold one transaction for the whole run, and
 * needs no dedupe here, since a run is idempotent (claims, idempotency keys), so a duplicate delivery just finds
 * less to do. A malformed message is acknowledged; a run failing on the database throws, so Pub/Sub retries.
 */
export const syncOnRequest: CloudEventFunction<unknown> = async (ce) => {
  const decoded = decodeMessage('bib.sync.requested', ce);
  if (!decoded.ok) {
    logger().error({ consumer: 'bibSync', messageId: decoded.messageId, reason: decoded.reason }, 'malformed message dropped');
    return;
  }
  const log = logger().child({ consumer: 'bibSync', eventId: decoded.id });
  try {
    await runSync({ scope: decoded.data, log });
  } catch (err) {
    log.warn({ err }, 'bib sync run failed; Pub/Sub will retry');
    throw err;
  }
};
