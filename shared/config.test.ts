import { strict as assert } from 'node:assert';
import { reloadConfig } from './config.js';
import { restoreEnvAfterEach } from '../test/support/env.js';

describe('config', () => {
  restoreEnvAfterEach(['APP_ENV', 'RATE_LIMIT_MULTIPLIER', 'PUBLIC_BASE_URL', 'STORAGE_BACKEND', 'DOCUMENTS_BUCKET', 'LOCAL_STORAGE_DIR', 'LOCAL_STORAGE_URL', 'BIB_BASE_URL']);

  it('refuses a loosened rate limit in the cloud, and allows it elsewhere (the bench)', () => {
    Object.assign(process.env, { APP_ENV: 'cloud', RATE_LIMIT_MULTIPLIER: '1000' });
    assert.throws(() => reloadConfig(), /RATE_LIMIT_MULTIPLIER: must be 1 in the cloud/);
    process.env.APP_ENV = 'local';
    assert.equal(reloadConfig().RATE_LIMIT_MULTIPLIER, 1000);
  });

  it('needs the https address of the API in the cloud, for emailed links', () => {
    Object.assign(process.env, { APP_ENV: 'cloud', RATE_LIMIT_MULTIPLIER: '1', STORAGE_BACKEND: 'gcs', DOCUMENTS_BUCKET: 'p-kyc-documents', BIB_BASE_URL: 'https://bib.example.co.id' });
    delete process.env.PUBLIC_BASE_URL;
    assert.throws(() => reloadConfig(), /PUBLIC_BASE_URL: must be the https address/);
    process.env.PUBLIC_BASE_URL = 'https://api.example.co.id';
    assert.equal(reloadConfig().PUBLIC_BASE_URL, 'https://api.example.co.id');
  });

  describe('document storage', () => {
    const cloud = { APP_ENV: 'cloud', RATE_LIMIT_MULTIPLIER: '1', PUBLIC_BASE_URL: 'https://api.example.co.id', BIB_BASE_URL: 'https://bib.example.co.id' };
    const cases: Array<{ name: string; env: Record<string, string>; error?: RegExp; expect?: Record<string, unknown> }> = [
      { name: 'defaults to local files in .data/storage', env: { APP_ENV: 'local' }, expect: { STORAGE_BACKEND: 'local', LOCAL_STORAGE_DIR: '.data/storage', LOCAL_STORAGE_URL: undefined } },
      { name: 'refuses the local backend in the cloud', env: { ...cloud, STORAGE_BACKEND: 'local' }, error: /STORAGE_BACKEND: must be gcs in the cloud/ },
      { name: 'refuses the default (local) backend in the cloud', env: cloud, error: /STORAGE_BACKEND: must be gcs in the cloud/ },
      { name: 'needs the bucket with gcs', env: { ...cloud, STORAGE_BACKEND: 'gcs' }, error: /DOCUMENTS_BUCKET: is required when STORAGE_BACKEND is gcs/ },
      { name: 'needs the bucket with gcs outside the cloud too', env: { APP_ENV: 'local', STORAGE_BACKEND: 'gcs', DOCUMENTS_BUCKET: '' }, error: /DOCUMENTS_BUCKET: is required/ },
      { name: 'takes gcs and its bucket in the cloud', env: { ...cloud, STORAGE_BACKEND: 'gcs', DOCUMENTS_BUCKET: 'p-kyc-documents' }, expect: { STORAGE_BACKEND: 'gcs', DOCUMENTS_BUCKET: 'p-kyc-documents' } },
      { name: 'refuses another backend', env: { APP_ENV: 'local', STORAGE_BACKEND: 's3' }, error: /STORAGE_BACKEND/ },
      { name: 'needs a URL for the local handler', env: { APP_ENV: 'local', LOCAL_STORAGE_URL: 'localhost:8080' }, error: /LOCAL_STORAGE_URL/ },
      {
        name: 'takes the local directory and URL',
        env: { APP_ENV: 'test', LOCAL_STORAGE_DIR: 'tmp/objects', LOCAL_STORAGE_URL: 'http://127.0.0.1:9000' },
        expect: { STORAGE_BACKEND: 'local', LOCAL_STORAGE_DIR: 'tmp/objects', LOCAL_STORAGE_URL: 'http://127.0.0.1:9000' },
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        for (const k of ['STORAGE_BACKEND', 'DOCUMENTS_BUCKET', 'LOCAL_STORAGE_DIR', 'LOCAL_STORAGE_URL']) delete process.env[k];
        Object.assign(process.env, c.env);
        if (c.error) assert.throws(() => reloadConfig(), c.error);
        else {
          const cfg = reloadConfig() as unknown as Record<string, unknown>;
          for (const [k, v] of Object.entries(c.expect ?? {})) assert.equal(cfg[k], v, k);
        }
      });
    }
  });

  it("needs Bib's https address in the cloud", () => {
    Object.assign(process.env, { APP_ENV: 'cloud', RATE_LIMIT_MULTIPLIER: '1', PUBLIC_BASE_URL: 'https://api.example.co.id', STORAGE_BACKEND: 'gcs', DOCUMENTS_BUCKET: 'p-kyc-documents' });
    for (const bad of [undefined, 'http://bib.example.co.id']) {
      if (bad) process.env.BIB_BASE_URL = bad;
      else delete process.env.BIB_BASE_URL;
      assert.throws(() => reloadConfig(), /BIB_BASE_URL: must be Bib's https address/);
    }
    process.env.BIB_BASE_URL = 'https://bib.example.co.id';
    assert.equal(reloadConfig().BIB_BASE_URL, 'https://bib.example.co.id');
  });

  it('names every bad variable', () => {
    Object.assign(process.env, { APP_ENV: 'nowhere', RATE_LIMIT_MULTIPLIER: '0' });
    assert.throws(() => reloadConfig(), (err: Error) => /APP_ENV/.test(err.message) && /RATE_LIMIT_MULTIPLIER/.test(err.message));
  });
});
