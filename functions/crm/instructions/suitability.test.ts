import { strict as assert } from 'node:assert';
import { recordEvents } from '../../../test/support/auth.js';
import { decideInvestors, institutionalBody, submitInstitutional } from '../../../test/support/crm.js';
import { approvedInvestor, asOwner, instructionApi, instructionTeam, instructionTrail, type InstructionTeam, type RiskCategory } from '../../../test/support/instructions.js';
import { suitabilityStatement } from './suitability-statement.js';

/**
 * The suitability check of POST /crm/instructions: the product bought (or switched into) against the
 * investor's risk profile, the 422 UNSUITABLE_PRODUCT, and the acknowledgement stored with the instruction
 * and its audit row.
 */

type Body = Record<string, unknown>;

const subscription = (investorId: string, productCode: string): Body => ({ investorId, type: 'SUBSCRIPTION', productCode, amount: '100000' });
const switchInto = (investorId: string, productCode: string, targetProductCode: string): Body => ({ investorId, type: 'SWITCHING', productCode, targetProductCode, units: '10' });
const redemption = (investorId: string, productCode: string, bankAccountId: number): Body => ({ investorId, type: 'REDEMPTION', productCode, units: '10', bankAccountId });

describe('crm: POST /crm/instructions, suitability', () => {
  recordEvents();
  let team: InstructionTeam;
  const investors = {} as Record<RiskCategory, Awaited<ReturnType<typeof approvedInvestor>>>;

  before(async () => {
    team = await instructionTeam();
    for (const category of ['CONSERVATIVE', 'MODERATE', 'AGGRESSIVE'] as const) investors[category] = await approvedInvestor(team.agent, team.admin, category);
  });

  // Product risk levels: MMF-KAS 1, FIF-OBLIGASI 2, BAL-SEIMBANG 3, EQF-SAHAM 4, EQF-SYARIAH 5.
  const cases: Array<[RiskCategory, string, (i: (typeof investors)[RiskCategory]) => Body, number, number]> = [
    ['CONSERVATIVE', 'buys a fund of risk 2', (i) => subscription(i.id, 'FIF-OBLIGASI'), 2, 2],
    ['CONSERVATIVE', 'buys a fund of risk 3', (i) => subscription(i.id, 'BAL-SEIMBANG'), 3, 2],
    ['MODERATE', 'buys a fund of risk 3', (i) => subscription(i.id, 'BAL-SEIMBANG'), 3, 3],
    ['MODERATE', 'buys a fund of risk 4', (i) => subscription(i.id, 'EQF-SAHAM'), 4, 3],
    ['AGGRESSIVE', 'buys a fund of risk 5', (i) => subscription(i.id, 'EQF-SYARIAH'), 5, 5],
    ['CONSERVATIVE', 'switches out of a risk-4 fund into a risk-1 fund (the target counts)', (i) => switchInto(i.id, 'EQF-SAHAM', 'MMF-KAS'), 1, 2],
    ['CONSERVATIVE', 'switches into a risk-4 fund', (i) => switchInto(i.id, 'MMF-KAS', 'EQF-SAHAM'), 4, 2],
    ['MODERATE', 'switches into a risk-5 fund', (i) => switchInto(i.id, 'FIF-OBLIGASI', 'EQF-SYARIAH'), 5, 3],
  ];
  for (const [category, name, body, productRiskLevel, maxRiskLevel] of cases) {
    const suits = productRiskLevel <= maxRiskLevel;
    it(`${category === 'AGGRESSIVE' ? 'an' : 'a'} ${category} investor ${name}: ${suits ? 'suitable (201)' : '422 UNSUITABLE_PRODUCT, then 201 with the acknowledgement'}`, async () => {
      const check = { productRiskLevel, investorRiskProfile: category, maxRiskLevel };
      const request = body(investors[category]);
      if (suits) {
        const res = await instructionApi.create(team.agent.accessToken, request).expect(201);
        assert.deepEqual(res.body.suitability, { ...check, suitable: true });
        return;
      }
      for (const riskAcknowledged of [undefined, false, null]) {
        const refused = await instructionApi.create(team.agent.accessToken, { ...request, riskAcknowledged }).expect(422);
        assert.equal(refused.body.code, 'UNSUITABLE_PRODUCT');
        assert.deepEqual({ productRiskLevel: refused.body.productRiskLevel, investorRiskProfile: refused.body.investorRiskProfile, maxRiskLevel: refused.body.maxRiskLevel }, check);
        assert.deepEqual(refused.body.errors.map((e: { field: string }) => e.field), ['body.riskAcknowledged']);
      }
      const res = await instructionApi.create(team.agent.accessToken, { ...request, riskAcknowledged: true }).expect(201);
      assertAcknowledged(res.body.suitability, check, team.agent.id);
    });
  }

  it('does not check a redemption: selling lowers the risk', async () => {
    const investor = investors.CONSERVATIVE;
    const res = await instructionApi.create(team.agent.accessToken, redemption(investor.id, 'EQF-SYARIAH', investor.bankAccountId)).expect(201);
    assert.deepEqual(res.body.suitability, { productRiskLevel: 5, investorRiskProfile: 'CONSERVATIVE', maxRiskLevel: 2, suitable: true });
  });

  it('counts an investor without a risk profile (an institution without one) as CONSERVATIVE', async () => {
    const { riskProfile: _none, ...body } = institutionalBody();
    const { investor } = await submitInstitutional(team.agent.accessToken, body as ReturnType<typeof institutionalBody>);
    await decideInvestors(team.admin.accessToken, { ids: [investor.id], decision: 'APPROVE' }).expect(200);
    assert.deepEqual(await asOwner(`select risk_category from investor where id = $1::uuid`, [investor.id]), [{ risk_category: null }]);
    const ok = await instructionApi.create(team.agent.accessToken, subscription(investor.id, 'FIF-OBLIGASI')).expect(201);
    assert.deepEqual(ok.body.suitability, { productRiskLevel: 2, investorRiskProfile: 'CONSERVATIVE', maxRiskLevel: 2, suitable: true });
    const refused = await instructionApi.create(team.agent.accessToken, subscription(investor.id, 'BAL-SEIMBANG')).expect(422);
    assert.deepEqual([refused.body.code, refused.body.investorRiskProfile, refused.body.maxRiskLevel], ['UNSUITABLE_PRODUCT', 'CONSERVATIVE', 2]);
  });

  it('an acknowledgement for a suitable product records nothing more', async () => {
    const res = await instructionApi.create(team.agent.accessToken, { ...subscription(investors.MODERATE.id, 'MMF-KAS'), riskAcknowledged: true }).expect(201);
    assert.deepEqual(res.body.suitability, { productRiskLevel: 1, investorRiskProfile: 'MODERATE', maxRiskLevel: 3, suitable: true });
  });

  it('stores the acknowledgement with the instruction, and the audit row records it; a refusal writes nothing', async () => {
    const investor = investors.CONSERVATIVE;
    const before = await asOwner(`select id from instruction where investor_id = $1::uuid`, [investor.id]);
    await instructionApi.create(team.agent.accessToken, subscription(investor.id, 'EQF-SAHAM')).expect(422);
    assert.deepEqual(await asOwner(`select id from instruction where investor_id = $1::uuid`, [investor.id]), before);

    const res = await instructionApi.create(team.agent.accessToken, { ...subscription(investor.id, 'EQF-SAHAM'), riskAcknowledged: true }).expect(201);
    const check = { productRiskLevel: 4, investorRiskProfile: 'CONSERVATIVE', maxRiskLevel: 2 };
    const [row] = await asOwner<{ suitability: Record<string, unknown> }>(`select suitability from instruction where id = $1::uuid`, [res.body.id]);
    assert.deepEqual(row!.suitability, res.body.suitability);
    assertAcknowledged(row!.suitability, check, team.agent.id);
    const [add] = await instructionTrail(res.body.id);
    assert.equal(add!.action_name, 'add');
    assert.deepEqual(add!.after!.suitability, res.body.suitability);
  });
});

function assertAcknowledged(suitability: Record<string, unknown>, check: object, agentId: number): void {
  const { acknowledgement, ...rest } = suitability as { acknowledgement: { recordedAt: string } };
  assert.deepEqual(rest, { ...check, suitable: false });
  assert.deepEqual(
    { ...acknowledgement, recordedAt: '' },
    { statement: { id: suitabilityStatement.id, en: suitabilityStatement.en }, version: suitabilityStatement.version, recordedBy: agentId, recordedAt: '' },
  );
  assert.ok(Math.abs(Date.parse(acknowledgement.recordedAt) - Date.now()) < 60_000, acknowledgement.recordedAt);
  assert.match(suitabilityStatement.id, /^Saya memahami bahwa produk ini memiliki tingkat risiko di atas profil risiko saya/);
}
