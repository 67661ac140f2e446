import { strict as assert } from 'node:assert';
import { reloadConfig } from './config.js';

describe('config', () => {
  const keys = ['APP_ENV', 'RATE_LIMIT_MULTIPLIER', 'PUBLIC_BASE_URL'] as const;
  let saved: Record<string, string | undefined>;
  beforeEach(() => {
    saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  });
  afterEach(() => {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    reloadConfig();
  });

  it('refuses a loosened rate limit in the cloud, and allows it elsewhere (the bench)', () => {
    Object.assign(process.env, { APP_ENV: 'cloud', RATE_LIMIT_MULTIPLIER: '1000' });
    assert.throws(() => reloadConfig(), /RATE_LIMIT_MULTIPLIER: must be 1 in the cloud/);
    process.env.APP_ENV = 'local';
    assert.equal(reloadConfig().RATE_LIMIT_MULTIPLIER, 1000);
  });

  it('needs the https address of the API in the cloud, for emailed links', () => {
    Object.assign(process.env, { APP_ENV: 'cloud', RATE_LIMIT_MULTIPLIER: '1' });
    delete process.env.PUBLIC_BASE_URL;
    assert.throws(() => reloadConfig(), /PUBLIC_BASE_URL: must be the https address/);
    process.env.PUBLIC_BASE_URL = 'https://api.example.co.id';
    assert.equal(reloadConfig().PUBLIC_BASE_URL, 'https://api.example.co.id');
  });

  it('names every bad variable', () => {
    Object.assign(process.env, { APP_ENV: 'nowhere', RATE_LIMIT_MULTIPLIER: '0' });
    assert.throws(() => reloadConfig(), (err: Error) => /APP_ENV/.test(err.message) && /RATE_LIMIT_MULTIPLIER/.test(err.message));
  });
});
