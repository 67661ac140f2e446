import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { createGateway } from '../../tools/local/gateway.js';
import { reloadConfig } from '../config.js';
import { localObjectStorage, localStorageHandler, signLocalUrl, startLocalStorageServer } from './local-storage.js';
import { objectStorage, setObjectStorage, type ObjectStorage, type UploadGrant } from './object-storage.js';
import { InvalidStorageRequestError, attachmentDisposition, isValidObjectKey } from './validation.js';
import { restoreEnvAfterEach } from '../../test/support/env.js';

/**
 * The local backend against its handler on a real socket: what the app does (upload with the grant,
 * download with the signed URL) and everything GCS would refuse.
 */
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw HTTP request: the path is sent exactly as given (no URL normalisation), the body as a fixed length or chunked. */
function send(url: string, o: { method?: string; path?: string; headers?: Record<string, string>; body?: Buffer; chunked?: boolean } = {}): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...o.headers };
    if (o.body && !o.chunked && headers['content-length'] === undefined) headers['content-length'] = o.body.length;
    const req = httpRequest(
      { host: target.hostname, port: target.port, method: o.method ?? 'GET', path: o.path ?? `${target.pathname}${target.search}`, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (o.chunked && o.body) {
      // Two writes, so the body really streams in chunks.
      req.write(o.body.subarray(0, Math.ceil(o.body.length / 2)));
      req.end(o.body.subarray(Math.ceil(o.body.length / 2)));
    } else req.end(o.body);
  });
}

const put = (grant: UploadGrant, body: Buffer, extra: { headers?: Record<string, string>; chunked?: boolean } = {}) =>
  send(grant.url, { method: 'PUT', headers: { ...grant.headers, ...extra.headers }, body, ...(extra.chunked ? { chunked: true } : {}) });

const errorCode = (a: Answer) => /<Code>([^<]+)<\/Code>/.exec(a.body.toString())?.[1];

const bytes = (n: number, seed = 7) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256));

describe('local object storage', () => {
  let dir: string;
  let server: { url: string; close(): Promise<void> };
  let storage: ObjectStorage;
  let n = 0;
  const key = (name = 'doc.jpg') => `kyc/test-${process.pid}/${++n}/${name}`;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rmtools-storage-'));
    server = await startLocalStorageServer({ dir });
    storage = localObjectStorage({ dir, baseUrl: server.url });
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => sinon.restore());

  it('uploads with the grant and downloads the same bytes and type with a signed URL', async () => {
    const k = key('ktp.jpg');
    const body = bytes(4096);
    assert.equal(await storage.stat(k), null);
    const grant = await storage.signUpload({ key: k, contentType: 'image/jpeg', size: body.length, expiresInSeconds: 900 });
    assert.equal(grant.method, 'PUT');
    assert.deepEqual(grant.headers, { 'content-type': 'image/jpeg', 'x-goog-content-length-range': '4096,4096' });
    assert.ok(grant.url.startsWith(`${server.url}/_storage/${k}?`));
    assert.ok(Math.abs(grant.expiresAt.getTime() - (Date.now() + 900_000)) < 5_000);

    const uploaded = await put(grant, body);
    assert.equal(uploaded.status, 200, uploaded.body.toString());
    assert.deepEqual(await storage.stat(k), { size: 4096, contentType: 'image/jpeg' });

    const download = await storage.signDownload({ key: k, expiresInSeconds: 60 });
    const got = await send(download.url);
    assert.equal(got.status, 200);
    assert.equal(got.headers['content-type'], 'image/jpeg');
    assert.equal(got.headers['content-length'], '4096');
    assert.equal(got.headers['content-disposition'], undefined);
    assert.equal(got.headers['x-content-type-options'], 'nosniff');
    assert.ok(got.body.equals(body));
    // No temporary files are left behind.
    assert.deepEqual(await readdir(join(dir, '.tmp')), []);
  });

  it('replaces an object uploaded again under the same key', async () => {
    const k = key('signature.png');
    for (const [type, body] of [['image/png', bytes(10, 1)], ['application/pdf', bytes(20, 2)]] as const) {
      const grant = await storage.signUpload({ key: k, contentType: type, size: body.length, expiresInSeconds: 60 });
      assert.equal((await put(grant, body)).status, 200);
    }
    assert.deepEqual(await storage.stat(k), { size: 20, contentType: 'application/pdf' });
    const got = await send((await storage.signDownload({ key: k, expiresInSeconds: 60 })).url);
    assert.ok(got.body.equals(bytes(20, 2)));
    assert.equal(got.headers['content-type'], 'application/pdf');
  });

  const dispositions = [
    { filename: 'KTP Budi.jpg', header: 'attachment; filename="KTP Budi.jpg"' },
    { filename: 'Akta "PT Maju" 2024.pdf', header: `attachment; filename="Akta _PT Maju_ 2024.pdf"; filename*=UTF-8''Akta%20%22PT%20Maju%22%202024.pdf` },
    { filename: 'NPWP Siti Ñ.pdf', header: `attachment; filename="NPWP Siti _.pdf"; filename*=UTF-8''NPWP%20Siti%20%C3%91.pdf` },
  ];
  for (const d of dispositions) {
    it(`downloads with Content-Disposition for the file name ${JSON.stringify(d.filename)}`, async () => {
      assert.equal(attachmentDisposition(d.filename), d.header);
      const k = key('npwp.pdf');
      const grant = await storage.signUpload({ key: k, contentType: 'application/pdf', size: 3, expiresInSeconds: 60 });
      assert.equal((await put(grant, Buffer.from('pdf'))).status, 200);
      const got = await send((await storage.signDownload({ key: k, expiresInSeconds: 60, filename: d.filename })).url);
      assert.equal(got.status, 200);
      assert.equal(got.headers['content-disposition'], d.header);
      assert.equal(got.body.toString(), 'pdf');
    });
  }

  it('answers 404 NoSuchKey for an object never uploaded', async () => {
    const got = await send((await storage.signDownload({ key: key(), expiresInSeconds: 60 })).url);
    assert.equal(got.status, 404);
    assert.equal(errorCode(got), 'NoSuchKey');
    assert.match(String(got.headers['content-type']), /^application\/xml/);
  });

  // Each case gets a fresh 10-byte image/jpeg grant and must leave nothing behind.
  const refusals: Array<{ name: string; status: number; code: string; request: (g: UploadGrant) => Promise<Answer> }> = [
    {
      name: 'a tampered signature',
      status: 403,
      code: 'SignatureDoesNotMatch',
      request: (g) => put({ ...g, url: g.url.replace(/(X-Storage-Signature=)(.)/, (_, p: string, c: string) => `${p}${c === 'a' ? 'b' : 'a'}`) }, bytes(10)),
    },
    {
      name: 'a signed size changed in the URL',
      status: 403,
      code: 'SignatureDoesNotMatch',
      request: (g) => put({ ...g, url: g.url.replace('X-Storage-Size=10', 'X-Storage-Size=11') }, bytes(11), { headers: { 'x-goog-content-length-range': '11,11' } }),
    },
    {
      name: 'the URL of another key',
      status: 403,
      code: 'SignatureDoesNotMatch',
      request: (g) => put({ ...g, url: g.url.replace(/\/_storage\/([^?]+)/, '/_storage/$1x') }, bytes(10)),
    },
    { name: 'no signature at all', status: 403, code: 'AccessDenied', request: (g) => put({ ...g, url: g.url.split('?')[0]! }, bytes(10)) },
    { name: 'another Content-Type', status: 403, code: 'SignatureDoesNotMatch', request: (g) => put(g, bytes(10), { headers: { 'content-type': 'image/png' } }) },
    { name: 'no Content-Type', status: 403, code: 'SignatureDoesNotMatch', request: (g) => send(g.url, { method: 'PUT', headers: { 'x-goog-content-length-range': '10,10' }, body: bytes(10) }) },
    {
      name: 'no x-goog-content-length-range',
      status: 403,
      code: 'SignatureDoesNotMatch',
      request: (g) => send(g.url, { method: 'PUT', headers: { 'content-type': 'image/jpeg' }, body: bytes(10) }),
    },
    { name: 'a larger body (Content-Length)', status: 400, code: 'EntityTooLarge', request: (g) => put(g, bytes(11), { headers: { 'x-goog-content-length-range': '10,10' } }) },
    { name: 'a smaller body (Content-Length)', status: 400, code: 'EntityTooSmall', request: (g) => put(g, bytes(9)) },
    { name: 'a larger body (chunked, counted)', status: 400, code: 'EntityTooLarge', request: (g) => put(g, bytes(64 * 1024), { chunked: true }) },
    { name: 'a smaller body (chunked, counted)', status: 400, code: 'EntityTooSmall', request: (g) => put(g, bytes(9), { chunked: true }) },
    { name: 'a GET with the upload URL', status: 403, code: 'SignatureDoesNotMatch', request: (g) => send(g.url) },
    { name: 'a DELETE', status: 405, code: 'MethodNotAllowed', request: (g) => send(g.url, { method: 'DELETE' }) },
  ];
  for (const r of refusals) {
    it(`refuses an upload with ${r.name}: ${r.status} ${r.code}`, async () => {
      const k = key();
      const grant = await storage.signUpload({ key: k, contentType: 'image/jpeg', size: 10, expiresInSeconds: 60 });
      const got = await r.request(grant);
      assert.equal(got.status, r.status, got.body.toString());
      assert.equal(errorCode(got), r.code);
      assert.equal(await storage.stat(k), null);
      assert.equal(existsSync(join(dir, ...k.split('/'))), false);
      assert.deepEqual(await readdir(join(dir, '.tmp')).catch(() => []), []);
    });
  }

  const expiries: Array<{ name: string; url: (k: string) => Promise<{ url: string; method: 'PUT' | 'GET' }> }> = [
    {
      name: 'an upload URL signed with a past expiry',
      url: async (k) => ({ url: await signLocalUrl({ baseUrl: server.url, method: 'PUT', key: k, expiresAt: new Date(Date.now() - 1000), contentType: 'image/jpeg', size: 10 }), method: 'PUT' }),
    },
    {
      name: 'an upload URL used after its 60 seconds',
      url: async (k) => {
        const grant = await storage.signUpload({ key: k, contentType: 'image/jpeg', size: 10, expiresInSeconds: 60 });
        sinon.useFakeTimers({ now: Date.now() + 61_000, toFake: ['Date'] });
        return { url: grant.url, method: 'PUT' };
      },
    },
    {
      name: 'a download URL used after its 60 seconds',
      url: async (k) => {
        const grant = await storage.signUpload({ key: k, contentType: 'image/jpeg', size: 10, expiresInSeconds: 60 });
        assert.equal((await put(grant, bytes(10))).status, 200);
        const download = await storage.signDownload({ key: k, expiresInSeconds: 60 });
        sinon.useFakeTimers({ now: Date.now() + 61_000, toFake: ['Date'] });
        return { url: download.url, method: 'GET' };
      },
    },
  ];
  for (const e of expiries) {
    it(`refuses ${e.name}: 403 ExpiredToken`, async () => {
      const k = key();
      const { url, method } = await e.url(k);
      const got = await send(url, method === 'PUT' ? { method, headers: { 'content-type': 'image/jpeg', 'x-goog-content-length-range': '10,10' }, body: bytes(10) } : {});
      assert.equal(got.status, 403);
      assert.equal(errorCode(got), 'ExpiredToken');
    });
  }

  it('still accepts a URL just before it expires', async () => {
    const k = key();
    const grant = await storage.signUpload({ key: k, contentType: 'image/jpeg', size: 10, expiresInSeconds: 60 });
    sinon.useFakeTimers({ now: Date.now() + 55_000, toFake: ['Date'] });
    assert.equal((await put(grant, bytes(10))).status, 200);
  });

  const badKeys = ['../etc/passwd', 'kyc/../../etc/passwd', '/kyc/a.jpg', 'kyc//a.jpg', 'kyc/a.jpg/', '.meta/kyc/a.jpg.json', 'kyc/.hidden', 'kyc/a..jpg', 'kyc/a b.jpg', 'kyc\\a.jpg', 'kyc/ä.jpg', '', 'a'.repeat(1025)];
  for (const bad of badKeys) {
    it(`refuses to sign for the key ${JSON.stringify(bad.length > 40 ? `${bad.slice(0, 10)}…` : bad)}`, async () => {
      assert.equal(isValidObjectKey(bad), false);
      await assert.rejects(storage.signUpload({ key: bad, contentType: 'image/jpeg', size: 1, expiresInSeconds: 60 }), InvalidStorageRequestError);
      await assert.rejects(storage.signDownload({ key: bad, expiresInSeconds: 60 }), InvalidStorageRequestError);
      await assert.rejects(storage.stat(bad), InvalidStorageRequestError);
    });
  }

  const traversals = ['/_storage/../../etc/passwd', '/_storage/kyc/../../../etc/passwd', '/_storage/%2e%2e/%2e%2e/etc/passwd', '/_storage/kyc%2F..%2F..%2Fx', '/_storage/.meta/kyc/a.json', '/_storage/kyc/%E0%A4%A'];
  for (const path of traversals) {
    it(`answers 400 for the path ${path}, before looking at the file system`, async () => {
      const got = await send(server.url, { path: `${path}?X-Storage-Method=GET&X-Storage-Expires=9999999999&X-Storage-Signature=${'0'.repeat(64)}` });
      assert.equal(got.status, 400);
      assert.equal(errorCode(got), 'InvalidArgument');
    });
  }

  it('validates what it signs: content type, size and expiry', async () => {
    const ok = { key: key(), contentType: 'image/jpeg', size: 1, expiresInSeconds: 60 };
    for (const bad of [{ contentType: 'jpeg' }, { contentType: 'image/jpeg\r\nx: y' }, { size: -1 }, { size: 1.5 }, { expiresInSeconds: 0 }, { expiresInSeconds: 8 * 24 * 3600 }]) {
      await assert.rejects(storage.signUpload({ ...ok, ...bad }), InvalidStorageRequestError, JSON.stringify(bad));
    }
    await assert.rejects(storage.signDownload({ key: ok.key, expiresInSeconds: 60, filename: 'a/b.pdf' }), InvalidStorageRequestError);
    await assert.rejects(storage.signDownload({ key: ok.key, expiresInSeconds: 60, filename: 'a\r\nb.pdf' }), InvalidStorageRequestError);
  });

  it('answers browser preflights for uploads', async () => {
    const got = await send(`${server.url}/_storage/kyc/a.jpg`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PUT' } });
    assert.equal(got.status, 204);
    assert.equal(got.headers['access-control-allow-origin'], '*');
    assert.match(String(got.headers['access-control-allow-headers']), /x-goog-content-length-range/);
  });

  it('leaves other paths to the next handler', async () => {
    const handle = localStorageHandler({ dir });
    for (const url of ['/', '/crm/customers', '/_storagex/a', '/_dev/mail']) {
      assert.equal(await handle({ url, method: 'GET', headers: {} } as never, {} as never), false, url);
    }
    assert.equal((await send(`${server.url}/crm/customers`)).status, 404);
  });

  describe('mounted on the local gateway', () => {
    let gateway: Server;
    let base: string;
    before(async () => {
      gateway = createGateway({ backends: [], extras: [localStorageHandler({ dir })] });
      await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', () => r()));
      base = `http://127.0.0.1:${(gateway.address() as { port: number }).port}`;
    });
    after(() => {
      gateway.close();
      gateway.closeAllConnections();
    });

    it('uploads and downloads through the gateway, and routes everything else as before', async () => {
      const viaGateway = localObjectStorage({ dir, baseUrl: base });
      const k = key('deed.pdf');
      const grant = await viaGateway.signUpload({ key: k, contentType: 'application/pdf', size: 5, expiresInSeconds: 60 });
      assert.ok(grant.url.startsWith(`${base}/_storage/`));
      assert.equal((await put(grant, Buffer.from('%PDF-'))).status, 200);
      const got = await send((await viaGateway.signDownload({ key: k, expiresInSeconds: 60 })).url);
      assert.equal(got.body.toString(), '%PDF-');
      const other = await send(`${base}/crm/nothing`);
      assert.deepEqual(JSON.parse(other.body.toString()), { code: 404, message: 'The current request is not defined by this API.' });
    });
  });

  describe('objectStorage()', () => {
    restoreEnvAfterEach(['STORAGE_BACKEND', 'DOCUMENTS_BUCKET', 'LOCAL_STORAGE_DIR', 'LOCAL_STORAGE_URL'], () => setObjectStorage(undefined));

    it('is the local backend of LOCAL_STORAGE_DIR and LOCAL_STORAGE_URL, made once per configuration', async () => {
      Object.assign(process.env, { STORAGE_BACKEND: 'local', LOCAL_STORAGE_DIR: dir, LOCAL_STORAGE_URL: server.url });
      reloadConfig();
      const first = objectStorage();
      assert.equal(objectStorage(), first);
      const k = key();
      const grant = await first.signUpload({ key: k, contentType: 'image/png', size: 2, expiresInSeconds: 60 });
      assert.ok(grant.url.startsWith(`${server.url}/_storage/`));
      assert.equal((await put(grant, Buffer.from('ok'))).status, 200);
      assert.deepEqual(await first.stat(k), { size: 2, contentType: 'image/png' });
      reloadConfig();
      assert.notEqual(objectStorage(), first);
    });

    it('can be replaced by tests', () => {
      const fake = { signUpload: sinon.stub(), signDownload: sinon.stub(), stat: sinon.stub() } as unknown as ObjectStorage;
      setObjectStorage(fake);
      assert.equal(objectStorage(), fake);
      setObjectStorage(undefined);
      assert.notEqual(objectStorage(), fake);
    });
  });
});
