import { strict as assert } from 'node:assert';
import { CircuitBreaker } from '../../shared/bib/circuit-breaker.js';
import { runPool, type StopReason } from './work-pool.js';

/** The run's worker pool: a concurrency limit, a stop condition checked before each item, one trial while half-open. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

describe('runPool', () => {
  it('works every item, never more than `concurrency` at once', async () => {
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    const items = Array.from({ length: 25 }, (_, i) => i);
    const result = await runPool({
      items,
      concurrency: 4,
      breaker: new CircuitBreaker(),
      stop: () => undefined,
      work: async (i) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        done.push(i);
      },
    });
    assert.deepEqual([...done].sort((a, b) => a - b), items);
    assert.equal(most, 4);
    assert.deepEqual(result, { unstarted: [], stoppedBy: undefined });
  });

  it('starts nothing once told to stop, and hands back what it did not start', async () => {
    let started = 0;
    let reason: StopReason | undefined;
    const result = await runPool({
      items: ['a', 'b', 'c', 'd', 'e', 'f'],
      concurrency: 2,
      breaker: new CircuitBreaker(),
      stop: () => reason,
      work: async () => {
        if (++started === 3) reason = 'deadline';
      },
    });
    assert.equal(started, 3);
    assert.deepEqual(result, { unstarted: ['d', 'e', 'f'], stoppedBy: 'deadline' });
  });

  it('lets one item go while the circuit is half-open; the others wait for its outcome', async () => {
    const clock = { t: 0 };
    const breaker = new CircuitBreaker({ minCalls: 1, failureRatio: 1, openMs: 10, now: () => clock.t });
    breaker.tryAcquire();
    breaker.failure();
    clock.t = 10;
    assert.equal(breaker.state, 'half-open');
    const trial = gate();
    let inFlight = 0;
    let most = 0;
    const order: string[] = [];
    const pool = runPool({
      items: ['trial', 'x', 'y', 'z'],
      concurrency: 3,
      breaker,
      stop: () => (breaker.state === 'open' ? 'circuit_open' : undefined),
      work: async (item) => {
        most = Math.max(most, ++inFlight);
        order.push(item);
        assert.ok(breaker.tryAcquire(), `${item} refused by the breaker`);
        if (item === 'trial') await trial.opened;
        breaker.success();
        inFlight--;
      },
    });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, ['trial'], 'nothing else starts during the trial');
    trial.open();
    const result = await pool;
    assert.equal(breaker.state, 'closed');
    assert.deepEqual([...order].sort(), ['trial', 'x', 'y', 'z']);
    assert.equal(result.stoppedBy, undefined);
    assert.ok(most <= 3);
  });

  it('throws the first failure once every worker has stopped', async () => {
    let finished = 0;
    await assert.rejects(
      runPool({
        items: [1, 2, 3, 4, 5, 6],
        concurrency: 3,
        breaker: new CircuitBreaker(),
        stop: () => undefined,
        work: async (i) => {
          await new Promise((r) => setImmediate(r));
          if (i === 2) throw new Error('database down');
          finished++;
        },
      }),
      /database down/,
    );
    assert.ok(finished < 5, 'no new item started after the failure');
  });
});
