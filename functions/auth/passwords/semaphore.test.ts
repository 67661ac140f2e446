import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueueFullError, Semaphore } from './semaphore.js';

/** A task the test finishes by hand, so the order of events is explicit rather than timing-dependent. */
function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('semaphore', () => {
  it('never runs more than maxRunning at once', async () => {
    const gate = new Semaphore({ maxRunning: 3, maxQueued: 100 });
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        gate.run(async () => {
          running++;
          most = Math.max(most, running);
          await sleep(i % 4);
          running--;
        }),
      ),
    );
    assert.equal(most, 3);
    assert.deepEqual(gate.stats(), { running: 0, queued: 0, peakRunning: 3 });
  });

  it('starts waiters in FIFO order', async () => {
    const gate = new Semaphore({ maxRunning: 1, maxQueued: 10 });
    const first = deferred();
    const started: number[] = [];
    const all = [gate.run(() => first.promise)];
    for (let i = 1; i <= 5; i++) all.push(gate.run(async () => void started.push(i)));
    assert.deepEqual(gate.stats(), { running: 1, queued: 5, peakRunning: 1 });
    first.resolve();
    await Promise.all(all);
    assert.deepEqual(started, [1, 2, 3, 4, 5]);
  });

  it('gives a freed slot to a waiter before a newcomer', async () => {
    const gate = new Semaphore({ maxRunning: 1, maxQueued: 10 });
    const first = deferred();
    const order: string[] = [];
    const a = gate.run(() => first.promise);
    const b = gate.run(async () => void order.push('waiter'));
    first.resolve();
    await a;
    const c = gate.run(async () => void order.push('newcomer'));
    await Promise.all([b, c]);
    assert.deepEqual(order, ['waiter', 'newcomer']);
  });

  const failures: Array<[string, () => Promise<never>]> = [
    ['a rejected promise', () => Promise.reject(new Error('boom'))],
    ['a synchronous throw', () => {
      throw new Error('boom');
    }],
  ];
  for (const [name, failing] of failures) {
    it(`releases the slot after ${name}`, async () => {
      const gate = new Semaphore({ maxRunning: 1, maxQueued: 10 });
      const failed = gate.run(failing);
      const next = gate.run(async () => 'ran');
      await assert.rejects(failed, /boom/);
      assert.equal(await next, 'ran');
      assert.equal(gate.stats().running, 0);
    });
  }

  it('rejects at once when the queue is full, and accepts again once it drains', async () => {
    const gate = new Semaphore({ maxRunning: 1, maxQueued: 2 });
    const first = deferred();
    const accepted = [gate.run(() => first.promise), gate.run(async () => 1), gate.run(async () => 2)];
    await assert.rejects(gate.run(async () => 3), QueueFullError);
    first.resolve();
    await Promise.all(accepted);
    assert.equal(await gate.run(async () => 4), 4);
  });

  it('reads its limits on each acquire', async () => {
    let maxRunning = 1;
    const gate = new Semaphore(() => ({ maxRunning, maxQueued: 10 }));
    const first = deferred();
    const a = gate.run(() => first.promise);
    maxRunning = 2;
    const b = gate.run(async () => gate.stats().running);
    assert.equal(await b, 2, 'the raised limit lets the second task start beside the first');
    first.resolve();
    await a;
  });

  it('resetStats starts a new peak from what runs now', async () => {
    const gate = new Semaphore({ maxRunning: 4, maxQueued: 0 });
    await Promise.all([1, 2, 3].map(() => gate.run(() => sleep(1))));
    assert.equal(gate.stats().peakRunning, 3);
    gate.resetStats();
    assert.equal(gate.stats().peakRunning, 0);
  });
});
