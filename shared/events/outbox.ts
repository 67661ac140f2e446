import { withTransaction, relayActor, type Tx } from '../db/tx.js';
import { config } from '../config.js';
import { logger } from '../logging.js';
import { publisher } from './publisher.js';
import { topics, type TopicInput, type TopicName } from './topics.js';

/**
 * Transactional outbox. `emit` writes the event in the caller's transaction and asks for an immediate publish
 * once that transaction commits; a rolled-back transaction leaves no row, so nothing is ever sent for work
 * that did not happen. Rows the immediate publish missed (crash, broker down) are picked up by sweepOutbox.
 */
export interface EmitOptions {
  companyId?: number | null;
  attributes?: Record<string, string>;
}

export async function emit<T extends TopicName>(tx: Tx, topic: T, payload: TopicInput<T>, options: EmitOptions = {}): Promise<string> {
  // A producer sending a bad payload is a bug: fail its transaction rather than publish garbage.
  const data = topics[topic].parse(payload);
  const { rows } = await tx.query<{ id: string }>(
    `insert into outbox (topic, payload, attributes, company_id)
     values ($1::text, $2::jsonb, $3::jsonb, $4::bigint)
     returning id`,
    [topic, JSON.stringify(data), JSON.stringify(options.attributes ?? {}), options.companyId ?? null],
  );
  const id = rows[0]!.id;
  // One publish after commit for all the events of a transaction.
  let pending = pendingByTx.get(tx);
  if (!pending) {
    const ids: string[] = [];
    pending = ids;
    pendingByTx.set(tx, ids);
    tx.afterCommit(() => publishOutbox({ ids }));
  }
  pending.push(id);
  return id;
}

const pendingByTx = new WeakMap<Tx, string[]>();

interface OutboxRow {
  id: string;
  topic: string;
  payload: unknown;
  attributes: Record<string, string>;
  company_id: number | null;
  attempts: number;
}

export interface PublishResult {
  published: number;
  failed: number;
}

/**
 * Publishes unpublished rows: the given ids (right after commit), or the oldest due rows (the sweep).
 * Rows are claimed with FOR UPDATE SKIP LOCKED, so the immediate publish and any number of sweeps never
 * send the same row twice at once. A failed row is retried later with exponential backoff.
 */
export async function publishOutbox(opts: { ids?: string[]; olderThanSeconds?: number; limit?: number } = {}): Promise<PublishResult> {
  const limit = opts.limit ?? config().OUTBOX_SWEEP_BATCH;
  return withTransaction(relayActor, async (tx) => {
    const { rows } = await tx.query<OutboxRow>(
      `select id, topic, payload, attributes, company_id, attempts
         from outbox
        where published_at is null
          and ($1::uuid[] is null or id = any ($1::uuid[]))
          and ($1::uuid[] is not null or (next_attempt_at <= now() and created_at <= now() - make_interval(secs => $2::int)))
        order by next_attempt_at, created_at
        limit $3::int
        for update skip locked`,
      [opts.ids ?? null, opts.olderThanSeconds ?? 0, limit],
    );
    const results = await Promise.allSettled(rows.map((row) => publishRow(row)));
    let published = 0;
    for (const [i, result] of results.entries()) {
      const row = rows[i]!;
      if (result.status === 'fulfilled') {
        published++;
        await tx.query(`update outbox set published_at = now(), message_id = $2::text, attempts = attempts + 1 where id = $1::uuid`, [
          row.id,
          result.value,
        ]);
      } else {
        const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
        logger().warn({ outboxId: row.id, topic: row.topic, err: result.reason }, 'outbox publish failed; will retry');
        await tx.query(
          `update outbox
              set attempts = attempts + 1,
                  last_error = left($2::text, 1000),
                  next_attempt_at = now() + make_interval(secs => least(power(2, attempts + 1), 900)::int)
            where id = $1::uuid`,
          [row.id, reason],
        );
      }
    }
    return { published, failed: rows.length - published };
  });
}

function publishRow(row: OutboxRow): Promise<string> {
  const attributes: Record<string, string> = { ...row.attributes, eventId: row.id, topic: row.topic };
  if (row.company_id != null) attributes.companyId = String(row.company_id);
  return publisher().publish(row.topic, Buffer.from(JSON.stringify(row.payload)), attributes);
}
