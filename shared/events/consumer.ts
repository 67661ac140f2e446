import type { CloudEvent, CloudEventFunction } from '@google-cloud/functions-framework';
import { z } from 'zod';
import { withTransaction, type Tx } from '../db/tx.js';
import { logger, type Logger } from '../logging.js';
import { topics, type TopicName, type TopicPayload } from './topics.js';

/** The data of a `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent. */
export const pubsubEventData = z.object({
  message: z.object({
    data: z.string().optional(),
    attributes: z.record(z.string(), z.string()).optional(),
    messageId: z.string().optional(),
    message_id: z.string().optional(),
    publishTime: z.string().optional(),
  }),
  subscription: z.string().optional(),
});
export type PubsubEventData = z.infer<typeof pubsubEventData>;

/** Thrown by a handler when retrying cannot help (bad address, unknown user): logged and acknowledged. */
export class PermanentFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentFailure';
  }
}

export interface ConsumedEvent<T extends TopicName> {
  id: string;
  topic: T;
  data: TopicPayload<T>;
  attributes: Record<string, string>;
  companyId: number | null;
  publishedAt: Date | null;
  log: Logger;
}

export interface ConsumerOptions<T extends TopicName> {
  /** The registered function name; also the dedupe namespace, so two consumers of one topic both act. */
  name: string;
  topic: T;
  /** Runs inside the transaction that records the event as processed: its writes and the claim commit together. */
  handle: (event: ConsumedEvent<T>, tx: Tx) => Promise<void>;
}

export type DecodeResult<T extends TopicName> =
  | { ok: true; id: string; data: TopicPayload<T>; attributes: Record<string, string>; publishedAt: Date | null }
  | { ok: false; reason: string; messageId: string | undefined };

export function decodeMessage<T extends TopicName>(topic: T, ce: Pick<CloudEvent<unknown>, 'data' | 'id'>): DecodeResult<T> {
  const envelope = pubsubEventData.safeParse(ce.data);
  if (!envelope.success) return { ok: false, reason: 'not a Pub/Sub message', messageId: ce.id };
  const { message } = envelope.data;
  const messageId = message.messageId ?? message.message_id ?? ce.id;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(message.data ?? '', 'base64').toString('utf8'));
  } catch {
    return { ok: false, reason: 'message data is not base64 JSON', messageId };
  }
  const parsed = topics[topic].safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: `message data does not match ${topic}: ${parsed.error.issues.map((i) => i.path.join('.') || i.message).join(', ')}`, messageId };
  }
  const attributes = message.attributes ?? {};
  const id = attributes.eventId ?? messageId;
  if (!id) return { ok: false, reason: 'message has no id', messageId };
  const publishedAt = message.publishTime ? new Date(message.publishTime) : null;
  return { ok: true, id, data: parsed.data as TopicPayload<T>, attributes, publishedAt };
}

/**
 * Wraps a handler as a CloudEvent function with Pub/Sub's at-least-once delivery in mind: malformed messages
 * are logged and acknowledged (retrying cannot fix them), duplicates are recognised by the event id recorded
 * in `processed_event` in the same transaction as the handler's writes, and any other failure is thrown so
 * Pub/Sub redelivers (up to the dead-letter limit set in terraform).
 */
export function defineConsumer<T extends TopicName>(opts: ConsumerOptions<T>): CloudEventFunction<unknown> {
  return async (ce) => {
    const decoded = decodeMessage(opts.topic, ce);
    if (!decoded.ok) {
      logger().error({ consumer: opts.name, messageId: decoded.messageId, reason: decoded.reason }, 'malformed message dropped');
      return;
    }
    const companyId = decoded.attributes.companyId ? Number(decoded.attributes.companyId) : null;
    const log = logger().child({ consumer: opts.name, eventId: decoded.id });
    const actor = { companyIds: companyId ? [companyId] : [] };
    try {
      await withTransaction(actor, async (tx) => {
        const claim = await tx.query(
          `insert into processed_event (consumer, event_id) values ($1::text, $2::text)
           on conflict do nothing returning event_id`,
          [opts.name, decoded.id],
        );
        if (claim.rowCount === 0) {
          log.info('duplicate delivery ignored');
          return;
        }
        await opts.handle({ id: decoded.id, topic: opts.topic, data: decoded.data, attributes: decoded.attributes, companyId, publishedAt: decoded.publishedAt, log }, tx);
      });
    } catch (err) {
      if (err instanceof PermanentFailure) {
        log.error({ err }, 'event failed permanently; acknowledged');
        return;
      }
      log.warn({ err }, 'event failed; Pub/Sub will retry');
      throw err;
    }
  };
}
