import { strict as assert } from 'node:assert';
import { withTransaction } from '../../../shared/db/tx.js';
import { recordEvents } from '../../../test/support/auth.js';
import { crmRows } from '../../../test/support/crm.js';
import { linkTeam, pendingInstruction, suitable, type InstructionSpec, type LinkTeam } from '../../../test/support/instruction-links.js';
import { suitabilityStatement } from '../instructions/suitability-statement.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { loadSignatureDocument, signatureDocumentSchema, type SignatureDocument } from './signature-document.js';

/** The instruction "as shown": built from the database as the link's tenant sees it, hashed canonically. */
describe('signatures: the signature document', () => {
  recordEvents();
  let team: LinkTeam;
  before(async () => {
    team = await linkTeam('Siti Rahmawati');
  });

  const load = (id: string) => withTransaction({ companyIds: [team.company.id] }, (tx) => loadSignatureDocument(tx, id));
  const product = (code: string, name: string, productHouse: string, type: string, riskLevel: number) => ({ code, name, productHouse, type, riskLevel });
  const kas = product('MMF-KAS', 'Dana Kas Likuid', 'Nusantara Asset Management', 'MONEY_MARKET', 1);

  const cases: Array<[string, () => InstructionSpec, (d: SignatureDocument) => Partial<SignatureDocument>]> = [
    [
      'a subscription: amount, fee and its estimate in IDR',
      () => ({ type: 'SUBSCRIPTION', amount: '1500000.00', feePct: '1.50' }),
      () => ({ type: 'SUBSCRIPTION', product: kas, targetProduct: null, amount: '1500000.00', units: null, bankAccount: null, feePct: '1.50', estimatedFee: '22500.00' }),
    ],
    [
      'a redemption in units: the bank and the last four digits, no fee estimate',
      () => ({ type: 'REDEMPTION', productCode: 'FIF-OBLIGASI', amount: null, units: '125.5000', bankAccountId: team.investor.bankAccountId, feePct: '0.50' }),
      () => ({
        type: 'REDEMPTION', product: product('FIF-OBLIGASI', 'Dana Obligasi Negara Plus', 'Nusantara Asset Management', 'FIXED_INCOME', 2), amount: null,
        units: '125.5000', feePct: '0.50', estimatedFee: null,
      }),
    ],
    [
      'a switch by amount: both products, the fee rounded to the cent',
      () => ({ type: 'SWITCHING', productCode: 'BAL-SEIMBANG', targetProductCode: 'EQF-SAHAM', amount: '333.33', feePct: '1.50' }),
      () => ({
        type: 'SWITCHING', product: product('BAL-SEIMBANG', 'Dana Seimbang Dinamis', 'Nusantara Asset Management', 'BALANCED', 3),
        targetProduct: product('EQF-SAHAM', 'Dana Saham Unggulan', 'Nusantara Asset Management', 'EQUITY', 4), amount: '333.33', estimatedFee: '5.00',
      }),
    ],
    [
      'a product without a published fee',
      () => ({ amount: '100000.00', feePct: null }),
      () => ({ feePct: null, estimatedFee: null }),
    ],
  ];
  for (const [name, spec, expected] of cases) {
    it(name, async () => {
      const { id } = await pendingInstruction(team, spec());
      const loaded = (await load(id))!;
      const d = loaded.document;
      assert.deepEqual({ ...d, ...expected(d) }, d);
      assert.equal(d.instructionId, id);
      assert.equal(d.investorName, 'Siti Rahmawati');
      assert.equal(d.agentName, 'Test User');
      assert.deepEqual(signatureDocumentSchema.parse(d), d);
      const [row] = await crmRows<{ created_at: Date; link_expires_at: Date }>(`select created_at, link_expires_at from instruction where id = $1::uuid`, [id]);
      assert.equal(d.createdAt, row!.created_at.toISOString());
      assert.equal(d.linkExpiresAt, row!.link_expires_at.toISOString());
      assert.equal(loaded.hash, sha256Hex(canonicalJson(d)));
    });
  }

  it('names the redemption account by bank and last four digits only', async () => {
    const { id } = await pendingInstruction(team, { type: 'REDEMPTION', amount: '500000.00', bankAccountId: team.investor.bankAccountId });
    const { document } = (await load(id))!;
    const [account] = await crmRows<{ account_number_last4: string }>(`select account_number_last4 from investor_bank_account where id = $1::bigint`, [team.investor.bankAccountId]);
    assert.deepEqual(document.bankAccount, { bankName: 'PT Bank Central Asia Tbk', accountNumberLast4: account!.account_number_last4 });
    assert.deepEqual(Object.keys(document.bankAccount!), ['bankName', 'accountNumberLast4']);
  });

  it('carries the acknowledged statement (not who recorded it) when the product is above the profile', async () => {
    const ack = { statement: { id: suitabilityStatement.id, en: suitabilityStatement.en }, version: suitabilityStatement.version, recordedBy: team.agent.id, recordedAt: new Date().toISOString() };
    const { id } = await pendingInstruction(team, {
      productCode: 'EQF-SAHAM',
      suitability: { productRiskLevel: 4, investorRiskProfile: 'CONSERVATIVE', maxRiskLevel: 2, suitable: false, acknowledgement: ack },
    });
    const { document } = (await load(id))!;
    assert.deepEqual(document.suitability, {
      productRiskLevel: 4, investorRiskProfile: 'CONSERVATIVE', maxRiskLevel: 2, suitable: false,
      acknowledgement: { statement: ack.statement, version: ack.version },
    });
    const plain = (await load((await pendingInstruction(team, { suitability: suitable })).id))!.document;
    assert.deepEqual(plain.suitability, { ...suitable, acknowledgement: null });
  });

  it('hashes the same data to the same value, and any change of what is shown to another', async () => {
    const { id } = await pendingInstruction(team, { amount: '1500000.00', feePct: '1.00' });
    const first = (await load(id))!;
    assert.equal((await load(id))!.hash, first.hash);
    const changes = [
      `update instruction set amount = 1500000.01 where id = $1::uuid`,
      `update instruction set fee_pct = 1.01 where id = $1::uuid`,
      `update investor set full_name = 'Siti Rahmawati.' where id = (select investor_id from instruction where id = $1::uuid)`,
    ];
    const seen = new Set([first.hash]);
    for (const sql of changes) {
      await crmRows(sql, [id]);
      const hash = (await load(id))!.hash;
      assert.ok(!seen.has(hash), sql);
      seen.add(hash);
    }
    await crmRows(`update investor set full_name = 'Siti Rahmawati' where id = $1::uuid`, [team.investor.id]);
  });

  it('finds nothing for an instruction of another tenant', async () => {
    const { id } = await pendingInstruction(team);
    const other = await linkTeam();
    assert.equal(await withTransaction({ companyIds: [other.company.id] }, (tx) => loadSignatureDocument(tx, id)), undefined);
  });
});
