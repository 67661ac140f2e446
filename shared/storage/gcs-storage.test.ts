import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import type { File } from '@google-cloud/storage';
import sinon from 'sinon';
import { reloadConfig } from '../config.js';
import { gcsStorage } from './gcs-storage.js';
import { objectStorage } from './object-storage.js';
import { InvalidStorageRequestError } from './validation.js';
import { restoreEnvAfterEach } from '../../test/support/env.js';

/**
 * The GCS backend without the network: the SDK's File is stubbed where it would sign (locally or through IAM
 * signBlob) or fetch metadata, and the tests check what the backend asks of it. The SDK is imported as the
 * backend imports it, with import(): a static import may load its CommonJS build, another File class.
 */
describe('GCS object storage', () => {
  const now = new Date('2025-03-01T08:00:00.000Z');
  const bucket = 'demo-rmtools-kyc-documents';
  let signed: sinon.SinonStub;
  let metadata: sinon.SinonStub;

  let sdkFile: typeof File;
  before(async () => {
    sdkFile = (await import('@google-cloud/storage')).File;
  });

  beforeEach(() => {
    sinon.useFakeTimers({ now, toFake: ['Date'] });
    signed = sinon.stub(sdkFile.prototype, 'getSignedUrl').resolves(['https://storage.googleapis.com/signed'] as never);
    metadata = sinon.stub(sdkFile.prototype, 'getMetadata');
  });
  afterEach(() => sinon.restore());

  const storage = () => gcsStorage({ bucket });
  const call = (stub: sinon.SinonStub) => ({ file: stub.firstCall.thisValue as File, options: stub.firstCall.args[0] as Record<string, unknown> });

  it('signs a V4 PUT URL bound to the content type and the exact size, for 15 minutes', async () => {
    const grant = await storage().signUpload({ key: 'kyc/1/ktp.jpg', contentType: 'image/jpeg', size: 1_234_567, expiresInSeconds: 900 });
    const { file, options } = call(signed);
    assert.equal(file.name, 'kyc/1/ktp.jpg');
    assert.equal(file.bucket.name, bucket);
    assert.deepEqual(options, {
      version: 'v4',
      action: 'write',
      expires: new Date(now.getTime() + 900_000),
      contentType: 'image/jpeg',
      extensionHeaders: { 'x-goog-content-length-range': '1234567,1234567' },
    });
    assert.deepEqual(grant, {
      url: 'https://storage.googleapis.com/signed',
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg', 'x-goog-content-length-range': '1234567,1234567' },
      expiresAt: new Date(now.getTime() + 900_000),
    });
  });

  const downloads = [
    { name: 'without a file name', filename: undefined, disposition: undefined },
    { name: 'with a file name', filename: 'KTP Budi.jpg', disposition: 'attachment; filename="KTP Budi.jpg"' },
    { name: 'with a non-ASCII file name', filename: 'Akta Ñ.pdf', disposition: `attachment; filename="Akta _.pdf"; filename*=UTF-8''Akta%20%C3%91.pdf` },
  ];
  for (const d of downloads) {
    it(`signs a short V4 GET URL ${d.name}`, async () => {
      const url = await storage().signDownload({ key: 'kyc/1/deed.pdf', expiresInSeconds: 300, ...(d.filename ? { filename: d.filename } : {}) });
      const { file, options } = call(signed);
      assert.equal(file.name, 'kyc/1/deed.pdf');
      assert.deepEqual(options, {
        version: 'v4',
        action: 'read',
        expires: new Date(now.getTime() + 300_000),
        ...(d.disposition ? { responseDisposition: d.disposition } : {}),
      });
      assert.deepEqual(url, { url: 'https://storage.googleapis.com/signed', expiresAt: new Date(now.getTime() + 300_000) });
    });
  }

  it('stats an uploaded object from its metadata, and a missing one as null', async () => {
    metadata.onFirstCall().resolves([{ size: '2048', contentType: 'application/pdf' }]);
    metadata.onSecondCall().rejects(Object.assign(new Error('No such object'), { code: 404 }));
    assert.deepEqual(await storage().stat('kyc/1/deed.pdf'), { size: 2048, contentType: 'application/pdf' });
    assert.equal(await storage().stat('kyc/1/missing.pdf'), null);
    assert.equal((metadata.firstCall.thisValue as File).name, 'kyc/1/deed.pdf');
  });

  it('lets other errors of the metadata request through', async () => {
    metadata.rejects(Object.assign(new Error('Forbidden'), { code: 403 }));
    await assert.rejects(storage().stat('kyc/1/deed.pdf'), /Forbidden/);
  });

  const refused: Array<{ name: string; run: (s: ReturnType<typeof storage>) => Promise<unknown> }> = [
    { name: 'an upload key with ..', run: (s) => s.signUpload({ key: 'kyc/../x.jpg', contentType: 'image/jpeg', size: 1, expiresInSeconds: 900 }) },
    { name: 'a download key with a leading slash', run: (s) => s.signDownload({ key: '/kyc/x.jpg', expiresInSeconds: 60 }) },
    { name: 'a stat key with a space', run: (s) => s.stat('kyc/x y.jpg') },
    { name: 'a negative size', run: (s) => s.signUpload({ key: 'kyc/x.jpg', contentType: 'image/jpeg', size: -1, expiresInSeconds: 900 }) },
    { name: 'an expiry beyond 7 days', run: (s) => s.signDownload({ key: 'kyc/x.jpg', expiresInSeconds: 7 * 24 * 3600 + 1 }) },
    { name: 'a file name with a line break', run: (s) => s.signDownload({ key: 'kyc/x.jpg', expiresInSeconds: 60, filename: 'a\nb.pdf' }) },
  ];
  for (const r of refused) {
    it(`refuses ${r.name} before asking the SDK`, async () => {
      await assert.rejects(r.run(storage()), InvalidStorageRequestError);
      assert.equal(signed.called || metadata.called, false);
    });
  }

  it('gets URLs from the SDK that sign both upload headers (signed locally with a throwaway key, no network)', async () => {
    signed.restore();
    const { Storage } = await import('@google-cloud/storage');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const credentials = { client_email: 'fn-crm@demo-rmtools.iam.gserviceaccount.com', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
    const real = gcsStorage({ bucket, client: async () => new Storage({ projectId: 'demo-rmtools', credentials }) });

    const upload = new URL((await real.signUpload({ key: 'kyc/1/ktp.jpg', contentType: 'image/jpeg', size: 10, expiresInSeconds: 900 })).url);
    assert.equal(upload.pathname, `/${bucket}/kyc/1/ktp.jpg`);
    assert.equal(upload.searchParams.get('X-Goog-Algorithm'), 'GOOG4-RSA-SHA256');
    assert.equal(upload.searchParams.get('X-Goog-Expires'), '900');
    assert.deepEqual(upload.searchParams.get('X-Goog-SignedHeaders')!.split(';').sort(), ['content-type', 'host', 'x-goog-content-length-range']);

    const download = new URL((await real.signDownload({ key: 'kyc/1/ktp.jpg', expiresInSeconds: 300, filename: 'KTP.jpg' })).url);
    assert.equal(download.searchParams.get('X-Goog-Expires'), '300');
    assert.equal(download.searchParams.get('X-Goog-SignedHeaders'), 'host');
    assert.equal(download.searchParams.get('response-content-disposition'), 'attachment; filename="KTP.jpg"');
  });

  describe('chosen by configuration', () => {
    restoreEnvAfterEach(['STORAGE_BACKEND', 'DOCUMENTS_BUCKET']);

    it('is objectStorage() with STORAGE_BACKEND=gcs, on DOCUMENTS_BUCKET', async () => {
      Object.assign(process.env, { STORAGE_BACKEND: 'gcs', DOCUMENTS_BUCKET: 'p-kyc-documents' });
      reloadConfig();
      const grant = await objectStorage().signUpload({ key: 'kyc/2/selfie.png', contentType: 'image/png', size: 10, expiresInSeconds: 900 });
      assert.equal(grant.url, 'https://storage.googleapis.com/signed');
      assert.equal(call(signed).file.bucket.name, 'p-kyc-documents');
    });
  });
});
