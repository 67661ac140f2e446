import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localObjectStorage, signLocalUrl, startLocalStorageServer } from '../../../shared/storage/local-storage.js';
import { setObjectStorage } from '../../../shared/storage/object-storage.js';
import { bearer, signIn } from '../../../test/support/auth.js';
import { createCompany } from '../../../test/support/owner.js';
import { crm, crmCompany, crmRows, fieldsOf, submitIndividual } from '../../../test/support/crm.js';

/**
 * KYC documents (/crm/investors/{id}/documents): the signed upload grant, the real upload to the local storage
 * backend on a socket of its own, the download URL and the list.
 */

interface Grant {
  url: string;
  method: 'PUT';
  headers: Record<string, string>;
  expiresAt: string;
}

const requestUpload = (token: string, investorId: string, body: object) => crm().post(`/crm/investors/${investorId}/documents`).set(bearer(token)).send(body);
const downloadUrl = (token: string, investorId: string, documentId: string) =>
  crm().get(`/crm/investors/${investorId}/documents/${documentId}/download-url`).set(bearer(token));
const listDocuments = (token: string, investorId: string, query: Record<string, string | number> = {}) =>
  crm().get(`/crm/investors/${investorId}/documents`).query(query).set(bearer(token));

const put = (grant: Pick<Grant, 'url' | 'headers'>, body: Buffer, headers: Record<string, string> = {}) =>
  fetch(grant.url, { method: 'PUT', headers: { ...grant.headers, ...headers }, body: new Uint8Array(body) });

const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);

describe('crm: investor documents', () => {
  let dir: string;
  let server: { url: string; close(): Promise<void> };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rmtools-documents-'));
    server = await startLocalStorageServer({ dir });
    setObjectStorage(localObjectStorage({ dir, baseUrl: server.url }));
  });
  after(async () => {
    setObjectStorage(undefined);
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A company, its agent and admin, and a submitted investor of the agent. */
  async function setup() {
    const ctx = await crmCompany();
    const { investor } = await submitIndividual(ctx.agent.accessToken);
    return { ...ctx, investor };
  }

  it('records a document and grants a signed PUT bound to its type and size for 15 minutes', async () => {
    const { agent, investor } = await setup();
    const res = await requestUpload(agent.accessToken, investor.id, { kind: 'KTP', contentType: 'image/jpeg', size: 2048 }).expect(201);
    const { document, upload } = res.body as { document: Record<string, unknown>; upload: Grant };
    assert.equal(document.investorId, investor.id);
    assert.equal(document.kind, 'KTP');
    assert.equal(document.contentType, 'image/jpeg');
    assert.equal(document.size, 2048);
    assert.equal(document.status, 'PENDING_UPLOAD');
    assert.equal(document.uploadedAt, null);
    assert.equal(document.createdBy, agent.id);
    assert.equal(upload.method, 'PUT');
    assert.ok(upload.url.startsWith(`${server.url}/_storage/investors/${investor.companyId}/${investor.id}/${String(document.id)}?`), upload.url);
    assert.deepEqual(upload.headers, { 'content-type': 'image/jpeg', 'x-goog-content-length-range': '2048,2048' });
    assert.ok(Math.abs(Date.parse(upload.expiresAt) - (Date.now() + 15 * 60_000)) < 60_000, upload.expiresAt);
    const [row] = await crmRows<{ status: string; size_bytes: number }>(`select status, size_bytes from investor_document where id = $1::uuid`, [document.id]);
    assert.deepEqual(row, { status: 'PENDING_UPLOAD', size_bytes: 2048 });
  });

  it('refuses a bad kind, type or size with 400 naming the field', async () => {
    const { agent, investor } = await setup();
    const ok = { kind: 'SELFIE', contentType: 'image/png', size: 1000 };
    const cases: Array<[object, string]> = [
      [{ ...ok, kind: 'PASSPORT' }, 'body.kind'],
      [{ ...ok, contentType: 'image/gif' }, 'body.contentType'],
      [{ ...ok, contentType: 'text/html' }, 'body.contentType'],
      [{ ...ok, size: 0 }, 'body.size'],
      [{ ...ok, size: 10 * 1024 * 1024 + 1 }, 'body.size'],
      [{ ...ok, size: 1.5 }, 'body.size'],
      [{ kind: 'SELFIE', contentType: 'image/png' }, 'body.size'],
      [{ ...ok, filename: 'me.png' }, 'body.filename'],
    ];
    for (const [body, field] of cases) {
      const res = await requestUpload(agent.accessToken, investor.id, body).expect(400);
      assert.ok(fieldsOf(res.body).includes(field), `${JSON.stringify(body)}: ${JSON.stringify(res.body.errors)}`);
    }
    // The largest document allowed is fine.
    await requestUpload(agent.accessToken, investor.id, { ...ok, contentType: 'application/pdf', size: 10 * 1024 * 1024 }).expect(201);
    const rows = await crmRows(`select 1 from investor_document where investor_id = $1::uuid`, [investor.id]);
    assert.equal(rows.length, 1);
  });

  it('answers 404 for another agent’s, another company’s or an unknown investor, 403 to an admin', async () => {
    const { company, admin, investor } = await setup();
    const colleague = await signIn({ companyId: company.id });
    const outsider = await signIn({ companyId: (await createCompany()).id });
    const body = { kind: 'KTP', contentType: 'image/jpeg', size: 100 };
    for (const [who, token, id] of [
      ['colleague', colleague.accessToken, investor.id],
      ['other company', outsider.accessToken, investor.id],
      ['unknown investor', colleague.accessToken, randomUUID()],
    ] as const) {
      assert.equal((await requestUpload(token, id, body).expect(404)).body.code, 'NOT_FOUND', who);
    }
    assert.equal((await requestUpload(admin.accessToken, investor.id, body).expect(403)).body.code, 'FORBIDDEN');
  });

  it('uploads with the grant, then serves the same bytes and type through a signed download URL', async () => {
    const { agent, admin, investor } = await setup();
    const bytes = jpeg(4096);
    const { document, upload } = (await requestUpload(agent.accessToken, investor.id, { kind: 'KTP', contentType: 'image/jpeg', size: bytes.length }).expect(201)).body;

    const early = await downloadUrl(agent.accessToken, investor.id, document.id).expect(409);
    assert.equal(early.body.code, 'CONFLICT');

    const stored = await put(upload, bytes);
    assert.equal(stored.status, 200, await stored.text());

    const res = await downloadUrl(agent.accessToken, investor.id, document.id).expect(200);
    assert.equal(res.body.document.id, document.id);
    assert.equal(res.body.document.status, 'UPLOADED');
    assert.ok(res.body.document.uploadedAt);
    assert.ok(res.body.url.startsWith(`${server.url}/_storage/`));
    assert.ok(Math.abs(Date.parse(res.body.expiresAt) - (Date.now() + 5 * 60_000)) < 60_000);

    const fetched = await fetch(res.body.url);
    assert.equal(fetched.status, 200);
    assert.equal(fetched.headers.get('content-type'), 'image/jpeg');
    assert.equal(fetched.headers.get('content-disposition'), `attachment; filename="ktp-${document.id}.jpg"`);
    assert.deepEqual(Buffer.from(await fetched.arrayBuffer()), bytes);

    // The admin reads it too, and the upload time stays the first one.
    const again = await downloadUrl(admin.accessToken, investor.id, document.id).expect(200);
    assert.equal(again.body.document.uploadedAt, res.body.document.uploadedAt);
    assert.deepEqual(Buffer.from(await (await fetch(again.body.url)).arrayBuffer()), bytes);
    // Without the signature storage refuses.
    assert.equal((await fetch(res.body.url.split('?')[0])).status, 403);
  });

  it('has storage refuse an upload of another type or size, and the document stays pending', async () => {
    const { agent, investor } = await setup();
    const bytes = jpeg(1000);
    const { document, upload } = (await requestUpload(agent.accessToken, investor.id, { kind: 'SELFIE', contentType: 'image/jpeg', size: bytes.length }).expect(201)).body;

    assert.equal((await put(upload, bytes, { 'content-type': 'image/png' })).status, 403);
    assert.equal((await put(upload, jpeg(999))).status, 400);
    assert.equal((await put(upload, jpeg(1001))).status, 400);
    assert.equal((await downloadUrl(agent.accessToken, investor.id, document.id).expect(409)).body.code, 'CONFLICT');
    assert.equal((await put(upload, bytes)).status, 200);
    await downloadUrl(agent.accessToken, investor.id, document.id).expect(200);
  });

  it('refuses to serve a stored file whose type or size differs from the announced one', async () => {
    const { agent, investor } = await setup();
    const { document } = (await requestUpload(agent.accessToken, investor.id, { kind: 'KTP', contentType: 'image/jpeg', size: 500 }).expect(201)).body;
    const key = (await crmRows<{ object_key: string }>(`select object_key from investor_document where id = $1::uuid`, [document.id]))[0]!.object_key;
    // An upload the API never granted (a PNG of another size) lands under the document's key.
    const url = await signLocalUrl({ baseUrl: server.url, method: 'PUT', key, expiresAt: new Date(Date.now() + 60_000), contentType: 'image/png', size: 300 });
    assert.equal((await put({ url, headers: { 'content-type': 'image/png', 'x-goog-content-length-range': '300,300' } }, randomBytes(300))).status, 200);
    assert.equal((await downloadUrl(agent.accessToken, investor.id, document.id).expect(409)).body.code, 'CONFLICT');
    const [row] = await crmRows<{ status: string }>(`select status from investor_document where id = $1::uuid`, [document.id]);
    assert.equal(row!.status, 'PENDING_UPLOAD');
  });

  it('answers 404 for a download of another investor’s document or of another agent’s investor', async () => {
    const { company, agent, investor } = await setup();
    const { investor: second } = await submitIndividual(agent.accessToken);
    const colleague = await signIn({ companyId: company.id });
    const bytes = jpeg(200);
    const { document, upload } = (await requestUpload(agent.accessToken, investor.id, { kind: 'KTP', contentType: 'image/jpeg', size: 200 }).expect(201)).body;
    assert.equal((await put(upload, bytes)).status, 200);
    assert.equal((await downloadUrl(agent.accessToken, second.id, document.id).expect(404)).body.code, 'NOT_FOUND');
    assert.equal((await downloadUrl(colleague.accessToken, investor.id, document.id).expect(404)).body.code, 'NOT_FOUND');
    assert.equal((await downloadUrl(agent.accessToken, investor.id, randomUUID()).expect(404)).body.code, 'NOT_FOUND');
  });

  it('lists an investor’s documents newest first, a page at a time', async () => {
    const { company, agent, admin, investor } = await setup();
    const colleague = await signIn({ companyId: company.id });
    const { investor: other } = await submitIndividual(agent.accessToken);
    await requestUpload(agent.accessToken, other.id, { kind: 'OTHER', contentType: 'application/pdf', size: 10 }).expect(201);
    const ids: string[] = [];
    for (const kind of ['KTP', 'SELFIE', 'SIGNATURE_SPECIMEN', 'NPWP', 'OTHER']) {
      ids.push((await requestUpload(agent.accessToken, investor.id, { kind, contentType: 'image/png', size: 10 }).expect(201)).body.document.id);
    }
    for (const token of [agent.accessToken, admin.accessToken]) {
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | undefined;
      do {
        const page = (await listDocuments(token, investor.id, { limit: 2, ...(cursor ? { cursor } : {}) }).expect(200)).body;
        seen.push(...page.items.map((d: { id: string }) => d.id));
        sizes.push(page.items.length);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      assert.deepEqual(sizes, [2, 2, 1]);
      assert.deepEqual(seen, ids.toReversed());
    }
    const all = (await listDocuments(agent.accessToken, investor.id).expect(200)).body;
    assert.deepEqual(all.items.map((d: { kind: string }) => d.kind), ['OTHER', 'NPWP', 'SIGNATURE_SPECIMEN', 'SELFIE', 'KTP']);
    assert.equal(all.nextCursor, null);
    assert.equal((await listDocuments(colleague.accessToken, investor.id).expect(404)).body.code, 'NOT_FOUND');
    assert.deepEqual(fieldsOf((await listDocuments(agent.accessToken, investor.id, { cursor: 'nope' }).expect(400)).body), ['query.cursor']);
  });
});
