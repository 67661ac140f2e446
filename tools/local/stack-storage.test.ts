import { strict as assert } from 'node:assert';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signLocalUrl } from '../../shared/storage/local-storage.js';
import { spawnLocalStack, type LocalStackProcess } from '../../test/support/local-stack.js';

/**
 * `npm start` serves KYC documents as Cloud Storage would: signed PUT and GET at the gateway's /_storage/,
 * files in LOCAL_STORAGE_DIR (.data/storage unless set; a temporary directory here). URLs are signed in this
 * process with the same local signing key the stack uses.
 */
describe('npm start: local document storage', function () {
  this.timeout(90_000);
  let stack: LocalStackProcess;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rmtools-stack-storage-'));
    stack = await spawnLocalStack({ LOCAL_STORAGE_DIR: dir });
  });
  after(async () => {
    stack?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists Cloud Storage among the parts', () => {
    assert.match(stack.output(), new RegExp(`Cloud Storage\\s+local signed URLs, files in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+STORAGE_BACKEND`));
  });

  it('stores an upload through the gateway in LOCAL_STORAGE_DIR and serves it back', async () => {
    const key = 'kyc/stack/ktp.png';
    const body = Buffer.from('\x89PNG local');
    const expiresAt = new Date(Date.now() + 60_000);
    const upload = await signLocalUrl({ baseUrl: stack.baseUrl, method: 'PUT', key, expiresAt, contentType: 'image/png', size: body.length });
    const put = await fetch(upload, { method: 'PUT', headers: { 'content-type': 'image/png', 'x-goog-content-length-range': `${body.length},${body.length}` }, body });
    assert.equal(put.status, 200, await put.text());
    assert.ok((await readFile(join(dir, 'kyc', 'stack', 'ktp.png'))).equals(body));

    const got = await fetch(await signLocalUrl({ baseUrl: stack.baseUrl, method: 'GET', key, expiresAt, filename: 'KTP.png' }));
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'image/png');
    assert.equal(got.headers.get('content-disposition'), 'attachment; filename="KTP.png"');
    assert.ok(Buffer.from(await got.arrayBuffer()).equals(body));

    const forged = await fetch(upload.replace(/X-Storage-Signature=[0-9a-f]/, 'X-Storage-Signature=z'));
    assert.equal(forged.status, 403);
  });
});
