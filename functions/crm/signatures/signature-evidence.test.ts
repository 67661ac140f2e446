import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { bearer, recordEvents, signIn } from '../../../test/support/auth.js';
import { crm, crmRows } from '../../../test/support/crm.js';
import { validLicence } from '../../../test/support/idty.js';
import { decideThroughLink, linkTeam, pendingInstruction, useLocalStorage, withNewInvestor, type LinkTeam } from '../../../test/support/instruction-links.js';
import { pngBytes } from '../../../test/support/png.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';

/** GET /crm/instructions/{id}/signature: the investor's decision and its evidence, for those who see the instruction. */
describe('signatures: GET /crm/instructions/{id}/signature', () => {
  recordEvents();
  useLocalStorage();
  let team: LinkTeam;
  before(async () => {
    team = await linkTeam();
  });

  const evidenceOf = (token: string, id: string) => crm().get(`/crm/instructions/${id}/signature`).set(bearer(token));

  it('gives the agent its own approval: the evidence, the document that hashes to its hash, and the drawn signature for 5 minutes', async () => {
    const link = await pendingInstruction(await withNewInvestor(team));
    const png = pngBytes(500, 180);
    const { browser, body } = await decideThroughLink(link, 'APPROVE', png);
    const res = await evidenceOf(team.agent.accessToken, link.id).expect(200);
    const e = res.body;
    assert.equal(e.instructionId, link.id);
    assert.equal(e.decision, 'APPROVE');
    assert.equal(e.reason, null);
    assert.equal(e.documentHash, body.documentHash);
    assert.equal(sha256Hex(canonicalJson(e.document)), e.documentHash);
    assert.equal(e.document.instructionId, link.id);
    assert.equal(e.otpChannel, 'SMS');
    assert.deepEqual(await crmRows(`select host($1::inet) as ip`, [browser.ip]), [{ ip: e.ip }]);
    assert.equal(e.userAgent, null, 'supertest sends no User-Agent');
    assert.ok(Math.abs(Date.parse(e.decidedAt) - Date.now()) < 60_000);
    assert.ok(Math.abs(Date.parse(e.signatureUrlExpiresAt) - (Date.now() + 5 * 60_000)) < 60_000);
    const fetched = await fetch(e.signatureUrl);
    assert.equal(fetched.status, 200);
    assert.equal(fetched.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await fetched.arrayBuffer()), png);
  });

  it('gives a rejection its reason and no signature URL', async () => {
    const link = await pendingInstruction(await withNewInvestor(team));
    await decideThroughLink(link, 'REJECT');
    const e = (await evidenceOf(team.admin.accessToken, link.id).expect(200)).body;
    assert.deepEqual([e.decision, e.reason, 'signatureUrl' in e, 'signatureUrlExpiresAt' in e], ['REJECT', 'Bukan transaksi saya', false, false]);
  });

  it('is the company admins’ too, and nobody else’s: 404 for another agent, another company, an unknown or undecided instruction', async () => {
    const link = await pendingInstruction(await withNewInvestor(team));
    await decideThroughLink(link, 'APPROVE');
    await evidenceOf(team.admin.accessToken, link.id).expect(200);
    const colleague = await signIn({ companyId: team.company.id, licence: validLicence });
    const other = await linkTeam();
    const undecided = await pendingInstruction(team);
    const cases: Array<[string, string, string, RegExp]> = [
      ['another agent of the company', colleague.accessToken, link.id, /No such instruction/],
      ['the admin of another company', other.admin.accessToken, link.id, /No such instruction/],
      ['the agent of another company', other.agent.accessToken, link.id, /No such instruction/],
      ['an unknown instruction', team.agent.accessToken, randomUUID(), /No such instruction/],
      ['an instruction not decided yet', team.agent.accessToken, undecided.id, /not decided/],
    ];
    for (const [who, token, id, detail] of cases) {
      const res = await evidenceOf(token, id).expect(404);
      assert.equal(res.body.code, 'NOT_FOUND', who);
      assert.match(res.body.detail, detail, who);
    }
    assert.deepEqual((await evidenceOf(team.agent.accessToken, 'nope').expect(400)).body.errors.map((x: { field: string }) => x.field), ['params.id']);
  });
});
