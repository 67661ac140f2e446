import { strict as assert } from 'node:assert';
import { CircuitBreaker } from './circuit-breaker.js';

/** The breaker around Bib, on a hand-driven clock: a failure rate over a window, open, one half-open trial. */
function breaker(o: { windowSize?: number; minCalls?: number; failureRatio?: number; openMs?: number } = {}) {
  const clock = { t: 1_000_000 };
  const b = new CircuitBreaker({ windowSize: 10, minCalls: 4, failureRatio: 0.5, openMs: 1000, ...o, now: () => clock.t });
  return { b, clock };
}

/** Calls through the breaker: 'ok', 'fail' or 'neutral' for each allowed one. */
function calls(b: CircuitBreaker, outcomes: ReadonlyArray<'ok' | 'fail' | 'neutral'>): void {
  for (const o of outcomes) {
    assert.ok(b.tryAcquire(), 'call allowed');
    if (o === 'ok') b.success();
    else if (o === 'fail') b.failure();
    else b.neutral();
  }
}

describe('CircuitBreaker', () => {
  const table: Array<[string, ReadonlyArray<'ok' | 'fail' | 'neutral'>, 'closed' | 'open']> = [
    ['stays closed under the minimum number of calls, however many fail', ['fail', 'fail', 'fail'], 'closed'],
    ['opens when the failure ratio is reached', ['ok', 'fail', 'ok', 'fail'], 'open'],
    ['stays closed under the ratio', ['ok', 'ok', 'fail', 'ok', 'ok', 'fail', 'ok'], 'closed'],
    ['counts a neutral outcome (a 4xx we caused) as healthy', ['fail', 'neutral', 'neutral', 'neutral', 'fail'], 'closed'],
  ];
  for (const [name, outcomes, state] of table) {
    it(name, () => {
      const { b } = breaker();
      calls(b, outcomes);
      assert.equal(b.state, state);
    });
  }

  it('judges only the last windowSize calls: old failures age out', () => {
    const { b } = breaker({ windowSize: 4, minCalls: 4, failureRatio: 0.75 });
    calls(b, ['fail', 'fail', 'ok', 'ok', 'ok', 'fail', 'fail']);
    assert.equal(b.state, 'closed');
    calls(b, ['fail']);
    assert.equal(b.state, 'open');
  });

  it('refuses every call while open, and says how long until a trial', () => {
    const { b, clock } = breaker();
    calls(b, ['fail', 'fail', 'fail', 'fail']);
    assert.equal(b.opened, 1);
    assert.equal(b.tryAcquire(), false);
    clock.t += 400;
    assert.equal(b.state, 'open');
    assert.equal(b.retryInMs(), 600);
    assert.equal(b.tryAcquire(), false);
  });

  it('lets a single trial through when half-open; its success closes the circuit and starts a fresh window', () => {
    const { b, clock } = breaker();
    calls(b, ['fail', 'fail', 'fail', 'fail']);
    clock.t += 1000;
    assert.equal(b.state, 'half-open');
    assert.equal(b.retryInMs(), 0);
    assert.equal(b.tryAcquire(), true);
    assert.equal(b.tryAcquire(), false, 'a second call waits for the trial');
    b.success();
    assert.equal(b.state, 'closed');
    // The old failures are forgotten: three more do not reopen it (under minCalls).
    calls(b, ['fail', 'fail', 'fail']);
    assert.equal(b.state, 'closed');
  });

  it('reopens, for another full period, when the trial fails', () => {
    const { b, clock } = breaker();
    calls(b, ['fail', 'fail', 'fail', 'fail']);
    clock.t += 1500;
    assert.equal(b.tryAcquire(), true);
    b.failure();
    assert.equal(b.state, 'open');
    assert.equal(b.opened, 2);
    assert.equal(b.retryInMs(), 1000);
    clock.t += 999;
    assert.equal(b.tryAcquire(), false);
    clock.t += 1;
    assert.equal(b.tryAcquire(), true);
  });

  it('closes on a neutral trial (Bib answered, even if it refused what we sent)', () => {
    const { b, clock } = breaker();
    calls(b, ['fail', 'fail', 'fail', 'fail']);
    clock.t += 1000;
    assert.equal(b.tryAcquire(), true);
    b.neutral();
    assert.equal(b.state, 'closed');
  });

  it('ignores late outcomes of calls that started before it opened', () => {
    const { b, clock } = breaker();
    assert.ok(b.tryAcquire());
    calls(b, ['fail', 'fail', 'fail', 'fail']);
    // The slow call that began while closed reports success: that is no trial, the circuit stays open.
    b.success();
    assert.equal(b.state, 'open');
    b.failure();
    assert.equal(b.opened, 1, 'a late failure does not reopen it again');
    clock.t += 1000;
    assert.equal(b.state, 'half-open');
  });
});
