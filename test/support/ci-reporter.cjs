// Mocha reporter for CI: the usual spec output, plus the counts written to a file so .ci/run can end with
// one "N passed, N failed" line.
const { writeFileSync } = require('node:fs');
const Mocha = require('mocha');

class CiReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const out = (options.reporterOptions && options.reporterOptions.output) || 'test-results.json';
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats;
      writeFileSync(out, JSON.stringify({ passes, failures, pending }));
    });
  }
}

module.exports = CiReporter;
