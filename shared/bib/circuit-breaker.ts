/**
 * A circuit breaker around Bib, per instance. It counts the outcome of the last `windowSize` calls; once at
 * least `minCalls` of them are in and `failureRatio` or more failed, it opens: calls fail at once for `openMs`
 * instead of waiting on a service that is down. Then one trial call is let through (half-open); its success
 * closes the circuit, its failure opens it again. A failure rate, not a run of failures, so Bib answering 30%
 * of calls with errors is served (with retries) while Bib being down is not hammered.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  windowSize?: number;
  minCalls?: number;
  failureRatio?: number;
  openMs?: number;
  now?: () => number;
}

export class CircuitBreaker {
  private readonly windowSize: number;
  private readonly minCalls: number;
  private readonly failureRatio: number;
  private readonly openMs: number;
  private readonly now: () => number;
  private outcomes: boolean[] = [];
  private openedAt: number | undefined;
  private trialInFlight = false;
  /** Times the circuit opened, for the run reports. */
  opened = 0;

  constructor(o: BreakerOptions = {}) {
    this.windowSize = o.windowSize ?? 20;
    this.minCalls = o.minCalls ?? 10;
    this.failureRatio = o.failureRatio ?? 0.6;
    this.openMs = o.openMs ?? 15_000;
    this.now = o.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.openMs ? 'half-open' : 'open';
  }

  /** Milliseconds until a trial call is allowed (0 when calls may go through). */
  retryInMs(): number {
    return this.openedAt === undefined ? 0 : Math.max(0, this.openedAt + this.openMs - this.now());
  }

  /** Whether a call may go now; in half-open, only one trial at a time. Every allowed call must report back. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    if (this.openedAt !== undefined) {
      if (!this.trialInFlight) return;
      this.close();
      return;
    }
    this.record(true);
  }

  failure(): void {
    if (this.openedAt !== undefined) {
      if (this.trialInFlight) this.open();
      return;
    }
    this.record(false);
    const failures = this.outcomes.filter((ok) => !ok).length;
    if (this.outcomes.length >= this.minCalls && failures / this.outcomes.length >= this.failureRatio) this.open();
  }

  /** A call that was allowed but whose outcome says nothing about Bib's health (a 4xx we caused). */
  neutral(): void {
    if (this.openedAt !== undefined && this.trialInFlight) this.close();
    else if (this.openedAt === undefined) this.record(true);
  }

  private record(ok: boolean): void {
    this.outcomes.push(ok);
    if (this.outcomes.length > this.windowSize) this.outcomes.shift();
  }

  private open(): void {
    this.openedAt = this.now();
    this.trialInFlight = false;
    this.opened++;
  }

  private close(): void {
    this.openedAt = undefined;
    this.trialInFlight = false;
    this.outcomes = [];
  }
}
