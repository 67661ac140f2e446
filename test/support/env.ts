import { reloadConfig } from '../../shared/config.js';

/**
 * For a describe block that changes settings: saves the named environment variables before each test and
 * puts them back (and re-reads the configuration) after it.
 */
export function restoreEnvAfterEach(keys: readonly string[], alsoAfter?: () => void): void {
  let saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  });
  afterEach(() => {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    alsoAfter?.();
    reloadConfig();
  });
}
