import http from 'node:http';
import https from 'node:https';
import { bibHeaders, type BibOrder, type BibWebhookEvent } from '../../shared/bib/contract.js';
import { signatureHeader } from '../../shared/bib/hmac.js';
import type { BibFaults } from './faults.js';
import { finalStatuses } from './state.js';

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface WebhookOptions {
  random: () => number;
  faults: () => BibFaults;
  /** Wait before the n-th retry: backoffMs × 2^(n-1). */
  backoffMs: number;
  maxAttempts: number;
  timeoutMs: number;
  /** Deliveries in flight at once (events of one order always go one after the other). */
  concurrency: number;
}

/**
 * Sends order events to the webhook target: signed, retried on non-2xx and network errors, optionally twice
 * (duplicateWebhookRate) or newest first (outOfOrderWebhooks). Events of one order are delivered in sequence.
 */
export class WebhookDispatcher {
  target: WebhookTarget | null = null;
  readonly stats = { sent: 0, failed: 0, attempts: 0 };
  private readonly held = new Map<string, BibWebhookEvent[]>();
  private readonly chains = new Map<string, Promise<void>>();
  private pending = 0;
  private waiters: Array<() => void> = [];
  private generation = 0;
  private readonly inFlight = new Set<AbortController>();
  private readonly sleeping = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private active = 0;
  private readonly slots: Array<() => void> = [];
  private agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  constructor(private readonly o: WebhookOptions) {}

  /** An order changed (after its creation): queue its event. */
  orderChanged(order: BibOrder): void {
    const target = this.target;
    if (!target) return;
    const event: BibWebhookEvent = {
      id: `evt_${order.id}_${order.version}`,
      type: 'order.status_changed',
      createdAt: new Date().toISOString(),
      data: { order },
    };
    const faults = this.o.faults();
    const buffered = this.held.get(order.id) ?? [];
    let events: BibWebhookEvent[];
    if (faults.outOfOrderWebhooks) {
      buffered.push(event);
      if (!finalStatuses.has(order.status)) {
        this.held.set(order.id, buffered);
        return;
      }
      events = buffered.reverse();
    } else {
      events = [...buffered, event];
    }
    this.held.delete(order.id);
    for (const e of events) {
      const body = JSON.stringify(e);
      this.enqueue(order.id, body, target);
      if (faults.duplicateWebhookRate > 0 && this.o.random() < faults.duplicateWebhookRate) this.enqueue(order.id, body, target);
    }
  }

  /** Resolves once nothing is queued, in flight or waiting for a retry. */
  flush(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops held events, aborts deliveries and retries (reset, stop). */
  cancel(): void {
    this.generation++;
    this.held.clear();
    for (const c of this.inFlight) c.abort();
    for (const s of [...this.sleeping]) s.wake();
    for (const wake of this.slots.splice(0)) wake();
  }

  /** cancel, wait for the queue to unwind, close the pooled sockets. */
  async close(): Promise<void> {
    this.cancel();
    await this.flush();
    this.agents.http.destroy();
    this.agents.https.destroy();
    this.agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  }

  resetStats(): void {
    Object.assign(this.stats, { sent: 0, failed: 0, attempts: 0 });
  }

  private enqueue(orderId: string, body: string, target: WebhookTarget): void {
    this.pending++;
    const generation = this.generation;
    const next = (this.chains.get(orderId) ?? Promise.resolve())
      .then(() => this.deliver(body, target, generation))
      .catch(() => undefined)
      .finally(() => {
        if (this.chains.get(orderId) === next) this.chains.delete(orderId);
        if (--this.pending === 0) for (const w of this.waiters.splice(0)) w();
      });
    this.chains.set(orderId, next);
  }

  private async deliver(body: string, target: WebhookTarget, generation: number): Promise<void> {
    await this.acquire();
    try {
      for (let attempt = 1; attempt <= this.o.maxAttempts; attempt++) {
        if (generation !== this.generation) return;
        this.stats.attempts++;
        if (await this.post(target, body)) {
          if (generation === this.generation) this.stats.sent++;
          return;
        }
        if (attempt < this.o.maxAttempts) await this.sleep(this.o.backoffMs * 2 ** (attempt - 1));
      }
      if (generation === this.generation) this.stats.failed++;
    } finally {
      this.release();
    }
  }

  /** One attempt: true on a 2xx answer. */
  private post(target: WebhookTarget, body: string): Promise<boolean> {
    const url = new URL(target.url);
    const secure = url.protocol === 'https:';
    const controller = new AbortController();
    this.inFlight.add(controller);
    return new Promise<boolean>((resolve) => {
      const req = (secure ? https : http).request(url, {
        method: 'POST',
        agent: secure ? this.agents.https : this.agents.http,
        signal: controller.signal,
        timeout: this.o.timeoutMs,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          [bibHeaders.webhookSignature]: signatureHeader(target.secret, body),
        },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300));
        res.on('error', () => resolve(false));
      });
      req.on('timeout', () => req.destroy(new Error('webhook timed out')));
      req.on('error', () => resolve(false));
      req.end(body);
    }).finally(() => this.inFlight.delete(controller));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => entry.wake(), ms),
        wake: () => {
          clearTimeout(entry.timer);
          this.sleeping.delete(entry);
          resolve();
        },
      };
      entry.timer.unref();
      this.sleeping.add(entry);
    });
  }

  private async acquire(): Promise<void> {
    if (this.active < this.o.concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.slots.push(resolve));
    this.active++;
  }

  private release(): void {
    this.active--;
    this.slots.shift()?.();
  }
}
