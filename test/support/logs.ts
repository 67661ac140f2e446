import { Writable } from 'node:stream';
import { createLogger, logger, setLogger, type Logger } from '../../shared/logging.js';

/** Captures log lines (parsed JSON) while a test runs; `restore()` puts the real logger back. */
export function captureLogs(): { lines: Array<Record<string, unknown>>; restore(): void } {
  const previous: Logger = logger();
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  setLogger(createLogger(sink).child({}, { level: 'debug' }));
  return { lines, restore: () => setLogger(previous) };
}
