import type { BibSimulator } from '../../tools/bib-simulator/simulator.js';

/**
 * The one Bib simulator of the test run: test/hooks.ts starts it (BIB_BASE_URL points at it) and stops it.
 * Tests that change it (faults, webhook, lifecycle, products) call resetTestBib() in an afterEach.
 */
let current: BibSimulator | undefined;

export function testBib(): BibSimulator {
  if (!current) throw new Error('the Bib simulator is not running (test/hooks.ts starts it in the root beforeAll)');
  return current;
}

export function resetTestBib(): void {
  testBib().reset();
}

/** For test/hooks.ts only. */
export function setTestBib(sim: BibSimulator | undefined): void {
  current = sim;
}
