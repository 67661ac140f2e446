import { strict as assert } from 'node:assert';
import { recordEvents } from '../../../test/support/auth.js';
import { crmRows } from '../../../test/support/crm.js';
import { browserWithCode, linkTeam, pendingInstruction, useLocalStorage, type LinkTeam } from '../../../test/support/instruction-links.js';
import { pngBytes, pngDataUrl } from '../../../test/support/png.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';

/** PATCH /crm/instructions/signature end to end: the page, the code, the decision and everything it records. */
type Push = { userIds: number[]; type: string; body: string; data: Record<string, string> };
type Email = { template: string; to: string; locale: string; variables: Record<string, unknown>; entity: { type: string; id: string } };

describe('signatures: the investor decides (PATCH /crm/instructions/signature)', () => {
  const events = recordEvents();
  const store = useLocalStorage();
  let team: LinkTeam;
  before(async () => {
    team = await linkTeam('Budi Santoso');
  });

  const about = (topic: string, id: string) =>
    events.messages.filter((m) => m.topic === topic && JSON.stringify(m.data).includes(id)).map((m) => m.data);
  const trail = (entity: string, id: string) =>
    crmRows<{ action_name: string; actor_id: string | null; user_ip: string | null; before: Record<string, unknown> | null; after: Record<string, unknown> | null }>(
      `select action_name, actor_id, host(user_ip) as user_ip, prev_entity_value as before, new_entity_value as after
         from auth_user_action_log where entity = $1::text and entity_id = $2::text order by id`,
      [entity, id],
    );

  it('approves: SIGNED, the evidence with the PNG in storage, the RM pushed, a receipt with the hash, the audit trail', async () => {
    const link = await pendingInstruction(team, { amount: '1500000.00', feePct: '1.50' });
    const { browser, code, ottId } = await browserWithCode(link);
    const shown = /<p id="document-hash" class="hash">([0-9a-f]{64})<\/p>/.exec((await browser.open(link.token)).text)![1]!;
    const png = pngBytes(720, 240);
    const res = await browser
      .decide({ token: link.token, code, decision: 'APPROVE', signature: pngDataUrl(png), documentHash: shown })
      .set('User-Agent', 'Mozilla/5.0 (Linux; Android 14) Mobile')
      .expect(200);
    assert.deepEqual(res.body, { status: 'SIGNED', documentHash: shown });

    const [instruction] = await crmRows<{ status: string; signed_at: Date | null; investor_reason: string | null; sync_status: string }>(
      `select status, signed_at, investor_reason, sync_status from instruction where id = $1::uuid`,
      [link.id],
    );
    assert.equal(instruction!.status, 'SIGNED');
    assert.equal(instruction!.investor_reason, null);
    // Waiting for the Bib sync, which claims PENDING instructions.
    assert.equal(instruction!.sync_status, 'PENDING');
    const [evidence] = await crmRows<Record<string, unknown> & { document: object; decided_at: Date; signature_object_key: string }>(
      `select decision, reason, document, document_hash, signature_object_key, host(ip) as ip, user_agent, otp_id, otp_channel, decided_at, company_id
         from instruction_signature where instruction_id = $1::uuid`,
      [link.id],
    );
    const [{ ip }] = (await crmRows<{ ip: string }>(`select host($1::inet) as ip`, [browser.ip])) as [{ ip: string }];
    assert.deepEqual(
      { ...evidence, document: undefined, decided_at: undefined, signature_object_key: undefined, company_id: Number(evidence!.company_id) },
      {
        decision: 'APPROVE', reason: null, document: undefined, document_hash: shown, signature_object_key: undefined, ip,
        user_agent: 'Mozilla/5.0 (Linux; Android 14) Mobile', otp_id: ottId, otp_channel: 'SMS', decided_at: undefined, company_id: team.company.id,
      },
    );
    assert.equal(sha256Hex(canonicalJson(evidence!.document)), shown, 'the stored document hashes to the stored hash');
    assert.equal((evidence!.document as { instructionId: string }).instructionId, link.id);
    assert.equal(evidence!.decided_at.getTime(), instruction!.signed_at!.getTime());

    const key = evidence!.signature_object_key;
    assert.match(key, new RegExp(`^signatures/${team.company.id}/${link.id}/[0-9a-f-]{36}\\.png$`));
    assert.deepEqual(await store.storage().stat(key), { size: png.length, contentType: 'image/png' });
    const { url } = await store.storage().signDownload({ key, expiresInSeconds: 60 });
    assert.deepEqual(Buffer.from(await (await fetch(url)).arrayBuffer()), png);

    // Spent: the link, and the code (wiped).
    const [token] = await crmRows<{ used_at: Date | null }>(`select used_at from instruction_token where id = $1::bigint`, [link.tokenId]);
    assert.ok(token!.used_at);
    const [ott] = await crmRows<{ used_at: Date | null; code_encrypted: string | null }>(`select used_at, code_encrypted from auth_ott where id = $1::uuid`, [ottId]);
    assert.ok(ott!.used_at && ott!.code_encrypted === null);

    const [push, ...morePushes] = about('push.requested', link.id) as Push[];
    assert.equal(morePushes.length, 0);
    assert.deepEqual(push!.userIds, [team.agent.id]);
    assert.equal(push!.type, 'INSTRUCTION_SIGNED');
    assert.deepEqual(push!.data, { instructionId: link.id, status: 'SIGNED' });
    assert.equal(push!.body, 'Budi Santoso: Dana Kas Likuid');
    const [receipt] = (about('email.requested', link.id) as Email[]).filter((e) => e.template === 'INSTRUCTION_RECEIPT');
    assert.equal(receipt!.to, team.investor.email);
    assert.equal(receipt!.locale, 'id');
    assert.deepEqual(receipt!.entity, { type: 'instruction', id: link.id });
    assert.deepEqual(receipt!.variables, {
      investorName: 'Budi Santoso', instructionType: 'SUBSCRIPTION', productName: 'Dana Kas Likuid', amount: '1500000.00', units: null,
      decision: 'SIGNED', at: evidence!.decided_at.toISOString(), documentHash: shown,
    });

    // Audited by the triggers: no user, the investor's address.
    const changes = (await trail('instruction', link.id)).filter((a) => a.action_name === 'update');
    assert.equal(changes.length, 1);
    assert.equal(changes[0]!.actor_id, null);
    assert.equal(changes[0]!.user_ip, evidence!.ip);
    assert.deepEqual([changes[0]!.before!.status, changes[0]!.after!.status], ['PENDING_SIGNATURE', 'SIGNED']);
    const [evidenceRow] = await crmRows<{ id: string }>(`select id::text from instruction_signature where instruction_id = $1::uuid`, [link.id]);
    const added = await trail('instruction_signature', evidenceRow!.id);
    assert.deepEqual(added.map((a) => a.action_name), ['add']);
    assert.equal(added[0]!.after!.document_hash, shown);
    assert.equal('document' in added[0]!.after!, false, 'the document stays in the evidence, not the log');
    assert.deepEqual((await trail('instruction_token', String(link.tokenId))).map((a) => a.action_name), ['add', 'update']);

    // Single use.
    assert.equal((await browser.decide({ token: link.token, code, decision: 'APPROVE', signature: pngDataUrl(png) }).expect(410)).body.code, 'LINK_USED');
    assert.ok((await browser.open(link.token)).text.includes('data-reason="used"'));
  });

  it('rejects with a reason: REJECTED_BY_INVESTOR, no signature, the reason pushed, a receipt in the page’s language', async () => {
    const link = await pendingInstruction(team, { type: 'SWITCHING', productCode: 'BAL-SEIMBANG', targetProductCode: 'EQF-SAHAM', amount: null, units: '10.0000' });
    // The page in English asks for the code in English: the receipt follows.
    const { browser, code } = await browserWithCode(link, 'en');
    const longAgent = `Mozilla/5.0 ${'x'.repeat(600)}`;
    const res = await browser
      .decide({ token: link.token, code, decision: 'REJECT', reason: '  Saya tidak pernah meminta transaksi ini  ' })
      .set('User-Agent', longAgent)
      .expect(200);
    assert.equal(res.body.status, 'REJECTED_BY_INVESTOR');
    assert.match(res.body.documentHash, /^[0-9a-f]{64}$/);

    const [instruction] = await crmRows<{ status: string; signed_at: Date | null; investor_reason: string }>(
      `select status, signed_at, investor_reason from instruction where id = $1::uuid`,
      [link.id],
    );
    assert.deepEqual(instruction, { status: 'REJECTED_BY_INVESTOR', signed_at: null, investor_reason: 'Saya tidak pernah meminta transaksi ini' });
    const [evidence] = await crmRows<{ decision: string; reason: string; signature_object_key: string | null; user_agent: string; document_hash: string }>(
      `select decision, reason, signature_object_key, user_agent, document_hash from instruction_signature where instruction_id = $1::uuid`,
      [link.id],
    );
    assert.deepEqual(
      { ...evidence, user_agent: evidence!.user_agent.length },
      { decision: 'REJECT', reason: 'Saya tidak pernah meminta transaksi ini', signature_object_key: null, user_agent: 512, document_hash: res.body.documentHash },
    );
    assert.equal(evidence!.user_agent, longAgent.slice(0, 512));

    const [push] = about('push.requested', link.id) as Push[];
    assert.equal(push!.type, 'INSTRUCTION_REJECTED_BY_INVESTOR');
    assert.equal(push!.body, 'Budi Santoso: Dana Seimbang Dinamis → Dana Saham Unggulan (Saya tidak pernah meminta transaksi ini)');
    const [receipt] = (about('email.requested', link.id) as Email[]).filter((e) => e.template === 'INSTRUCTION_RECEIPT');
    assert.equal(receipt!.locale, 'en');
    assert.equal(receipt!.variables.decision, 'REJECTED');
    assert.equal(receipt!.variables.units, '10.0000');
    assert.equal(receipt!.variables.documentHash, res.body.documentHash);
  });
});
