import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { config } from '../../shared/config.js';

/**
 * On the local runtime, OTP codes committed by a producer arrive at the dev sink — by SMS through the local
 * provider and by email over SMTP — within a second. Runs the notify latency bench, small, in its own
 * process (it starts the whole stack against this suite's database).
 */
describe('local OTP delivery', function () {
  this.timeout(90_000);

  it('delivers OTP SMS and email to /_dev/messages within a second of the commit', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'tools/bench/notify-latency.ts', '--events=20', '--json'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: config().DATABASE_URL, DATABASE_OWNER_URL: config().DATABASE_OWNER_URL, APP_ENV: 'local', SMTP_URL: '' },
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { events: number; sms: number; email: number; p99Ms: number };
    assert.deepEqual([result.events, result.sms, result.email], [20, 10, 10]);
    assert.ok(result.p99Ms < 1000, `p99 ${result.p99Ms} ms`);
  });
});
