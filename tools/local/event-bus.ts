import { randomUUID } from 'node:crypto';
import type { Publisher } from '../../shared/events/publisher.js';
import type { Logger } from '../../shared/logging.js';

/**
 * Local stand-in for Pub/Sub + Eventarc: a published message is delivered to every function subscribed to
 * its topic as the same HTTP request Eventarc makes in the cloud — a binary-mode CloudEvent of type
 * google.cloud.pubsub.topic.v1.messagePublished whose data holds the base64 message, its attributes and
 * messageId — so the functions run unchanged. Like the cloud trigger configured in terraform, a failed
 * delivery is retried with backoff and, after `maxAttempts`, set aside as dead-lettered.
 */
export interface Subscriber {
  topic: string;
  functionName: string;
  url: string;
}

export interface DeadLetter {
  topic: string;
  functionName: string;
  messageId: string;
  attempts: number;
  lastStatus: number | string;
}

interface Message {
  topic: string;
  messageId: string;
  data: Buffer;
  attributes: Record<string, string>;
  publishTime: string;
}

export interface EventBusOptions {
  project: string;
  log: Logger;
  maxAttempts?: number;
  /** First retry delay; doubles per attempt up to 10 s (the trigger's backoff in the cloud). */
  retryBaseMs?: number;
}

export class LocalEventBus implements Publisher {
  readonly deadLetters: DeadLetter[] = [];
  private readonly subscribers: Subscriber[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private sequence = 0;
  private closed = false;

  constructor(private readonly opts: EventBusOptions) {}

  subscribe(sub: Subscriber): void {
    this.subscribers.push(sub);
  }

  async publish(topic: string, data: Buffer, attributes: Record<string, string>): Promise<string> {
    if (this.closed) throw new Error('event bus is closed');
    // Pub/Sub message ids are decimal strings; keep that shape so nothing depends on a local format.
    const messageId = `${Date.now()}${String(++this.sequence).padStart(6, '0')}`;
    const message: Message = { topic, messageId, data, attributes, publishTime: new Date().toISOString() };
    const targets = this.subscribers.filter((s) => s.topic === topic);
    if (targets.length === 0) this.opts.log.debug({ topic, messageId }, 'no subscriber for topic; message dropped');
    for (const sub of targets) this.track(this.deliver(sub, message, 1));
    return messageId;
  }

  /** Resolves when every delivery (including scheduled retries) has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.timers.size > 0) {
      await Promise.race([...this.inFlight, new Promise((r) => setTimeout(r, 20))]);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async deliver(sub: Subscriber, msg: Message, attempt: number): Promise<void> {
    let status: number | string;
    try {
      const res = await fetch(sub.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'ce-id': msg.messageId,
          'ce-specversion': '1.0',
          'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
          'ce-source': `//pubsub.googleapis.com/projects/${this.opts.project}/topics/${msg.topic}`,
          'ce-time': msg.publishTime,
          'x-request-id': randomUUID(),
        },
        body: JSON.stringify({
          message: {
            data: msg.data.toString('base64'),
            attributes: msg.attributes,
            messageId: msg.messageId,
            message_id: msg.messageId,
            publishTime: msg.publishTime,
            publish_time: msg.publishTime,
          },
          subscription: `projects/${this.opts.project}/subscriptions/eventarc-${sub.functionName}`,
        }),
        signal: AbortSignal.timeout(60_000),
      });
      await res.arrayBuffer();
      if (res.ok) return;
      status = res.status;
    } catch (err) {
      status = (err as Error).message;
    }
    const maxAttempts = this.opts.maxAttempts ?? 5;
    if (attempt >= maxAttempts || this.closed) {
      this.deadLetters.push({ topic: msg.topic, functionName: sub.functionName, messageId: msg.messageId, attempts: attempt, lastStatus: status });
      this.opts.log.warn({ topic: msg.topic, function: sub.functionName, messageId: msg.messageId, attempts: attempt, status }, 'message dead-lettered');
      return;
    }
    const delay = Math.min(10_000, (this.opts.retryBaseMs ?? 200) * 2 ** (attempt - 1));
    this.opts.log.info({ topic: msg.topic, function: sub.functionName, messageId: msg.messageId, attempt, status, delay }, 'delivery failed; retrying');
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(this.deliver(sub, msg, attempt + 1));
    }, delay);
    this.timers.add(timer);
  }
}
