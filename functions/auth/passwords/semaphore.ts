/**
 * A counting semaphore with a bounded FIFO queue. Limits are read on every acquire (not fixed at
 * construction) so a config reload applies to the next call. A full queue rejects at once: under overload
 * it is better to shed a request than to let latency grow without bound.
 */
export interface SemaphoreLimits {
  /** How many tasks may run at once. */
  maxRunning: number;
  /** How many more may wait; beyond that `run` rejects with QueueFullError. */
  maxQueued: number;
}

export interface SemaphoreStats {
  running: number;
  queued: number;
  peakRunning: number;
}

export class QueueFullError extends Error {
  constructor(maxQueued: number) {
    super(`Semaphore queue is full (${maxQueued} waiting)`);
    this.name = 'QueueFullError';
  }
}

export class Semaphore {
  readonly #limits: () => SemaphoreLimits;
  readonly #waiting: Array<() => void> = [];
  #running = 0;
  #peakRunning = 0;

  constructor(limits: SemaphoreLimits | (() => SemaphoreLimits)) {
    this.#limits = typeof limits === 'function' ? limits : () => limits;
  }

  /** Runs fn when a slot is free; the slot is released however fn ends (resolve, reject or sync throw). */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      return await fn();
    } finally {
      this.#release();
    }
  }

  stats(): SemaphoreStats {
    return { running: this.#running, queued: this.#waiting.length, peakRunning: this.#peakRunning };
  }

  /** Starts a new peak measurement from what runs now. */
  resetStats(): void {
    this.#peakRunning = this.#running;
  }

  // Synchronous up to the point of queueing, so callers that start several tasks in one tick see a
  // deterministic order and overflow.
  #acquire(): Promise<void> | void {
    const { maxRunning, maxQueued } = this.#limits();
    // Nobody jumps the queue: a free slot goes to a waiter first (see #release).
    if (this.#running < maxRunning && this.#waiting.length === 0) {
      this.#take();
      return;
    }
    if (this.#waiting.length >= maxQueued) throw new QueueFullError(maxQueued);
    return new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    this.#running--;
    const { maxRunning } = this.#limits();
    while (this.#running < maxRunning && this.#waiting.length > 0) {
      this.#take();
      this.#waiting.shift()!();
    }
  }

  #take(): void {
    this.#running++;
    if (this.#running > this.#peakRunning) this.#peakRunning = this.#running;
  }
}
