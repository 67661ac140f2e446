import type { BibOrderStatus } from '../../shared/bib/contract.js';
import type { SimState } from './state.js';

export interface Lifecycle {
  processingAfterMs: number;
  finalAfterMs: number;
  /** 0..1 share of orders rejected instead of completed. */
  rejectShare: number;
}

const rejections = ['insufficient funds at settlement', 'the fund is closed for subscriptions today', 'the investor account is under review'];

/**
 * Moves orders along like Bib's back office: RECEIVED → PROCESSING after processingAfterMs, then COMPLETED or
 * REJECTED after finalAfterMs more. Each step goes through `progress` (which sends the webhook event); a step
 * whose order has moved on meanwhile (progressOrder by hand) is skipped.
 */
export class InvestmentManager {
  private lifecycle: Lifecycle | false = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly state: SimState,
    private readonly random: () => number,
    private readonly progress: (orderId: string, status: BibOrderStatus, reason?: string) => void,
  ) {}

  /** New settings apply to every order not final yet. */
  set(lifecycle: Lifecycle | false): void {
    this.clear();
    this.lifecycle = lifecycle ? { ...lifecycle } : false;
    if (!this.lifecycle) return;
    for (const { order } of this.state.orders.values()) {
      if (order.status === 'RECEIVED') this.orderReceived(order.id);
      else if (order.status === 'PROCESSING') this.schedule(order.id, 'PROCESSING', this.lifecycle.finalAfterMs);
    }
  }

  orderReceived(orderId: string): void {
    if (this.lifecycle) this.schedule(orderId, 'RECEIVED', this.lifecycle.processingAfterMs);
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(orderId: string, from: 'RECEIVED' | 'PROCESSING', ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const lifecycle = this.lifecycle;
      if (!lifecycle || this.state.orders.get(orderId)?.order.status !== from) return;
      if (from === 'RECEIVED') {
        this.progress(orderId, 'PROCESSING');
        this.schedule(orderId, 'PROCESSING', lifecycle.finalAfterMs);
      } else if (lifecycle.rejectShare > 0 && this.random() < lifecycle.rejectShare) {
        const why = rejections[Math.floor(this.random() * rejections.length)] ?? rejections[0];
        this.progress(orderId, 'REJECTED', `Rejected by the investment manager: ${why}`);
      } else {
        this.progress(orderId, 'COMPLETED');
      }
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }
}
