import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { recordEvents, type SignedInUser } from '../../../test/support/auth.js';
import { fieldsOf } from '../../../test/support/crm.js';
import { approvedInvestor, asOwner, instructionApi, instructionTeam, resetCatalogue, setCatalogue } from '../../../test/support/instructions.js';
import { seedProducts } from '../../../tools/bib-simulator/catalogue.js';

/**
 * What each instruction type takes (POST /crm/instructions): the body's shape (400 on the field), the
 * catalogue's terms and the investor's accounts (422 BUSINESS_RULE on the field), and what an accepted
 * instruction stores. The investor is AGGRESSIVE, so suitability never intervenes here.
 */

type Body = Record<string, unknown>;
type Stored = { type: string; productCode: string; targetProductCode: string | null; amount: string | null; units: string | null; feePct: string | null; bankAccountId: number | null };

describe('crm: POST /crm/instructions, the rules of each type', () => {
  recordEvents();
  let agent: SignedInUser;
  let investor: Awaited<ReturnType<typeof approvedInvestor>>;
  let otherInvestor: Awaited<ReturnType<typeof approvedInvestor>>;
  let unverifiedAccountId: number;
  const closed = `ZZ-TUTUP-${randomBytes(3).toString('hex').toUpperCase()}`;

  before(async () => {
    const team = await instructionTeam();
    agent = team.agent;
    investor = await approvedInvestor(team.agent, team.admin);
    otherInvestor = await approvedInvestor(team.agent, team.admin);
    const unverified = await approvedInvestor(team.agent, team.admin);
    await asOwner(`update investor_bank_account set verified = false where id = $1::bigint`, [unverified.bankAccountId]);
    // A second, unverified account of the investor itself.
    unverifiedAccountId = Number(
      (
        await asOwner<{ id: string }>(
          `insert into investor_bank_account (investor_id, company_id, bank_code, account_number_enc, account_number_hash, account_number_last4, account_holder_name, is_primary, needs_review, verified)
           select investor_id, company_id, '008', account_number_enc, account_number_hash || '-2', '9876', account_holder_name, false, false, false
             from investor_bank_account where id = $1::bigint returning id`,
          [investor.bankAccountId],
        )
      )[0]!.id,
    );
    // A fund Bib no longer sells, beside the seed catalogue.
    await setCatalogue([{ ...seedProducts()[0]!, code: closed, name: 'Dana Tutup', active: false }]);
  });
  after(async () => {
    await resetCatalogue();
  });

  const subscription = (over: Body = {}): Body => ({ investorId: investor.id, type: 'SUBSCRIPTION', productCode: 'MMF-KAS', amount: '1500000', ...over });
  const redemption = (over: Body = {}): Body => ({ investorId: investor.id, type: 'REDEMPTION', productCode: 'FIF-OBLIGASI', units: '12.5', bankAccountId: investor.bankAccountId, ...over });
  const switching = (over: Body = {}): Body => ({ investorId: investor.id, type: 'SWITCHING', productCode: 'FIF-OBLIGASI', targetProductCode: 'BAL-SEIMBANG', units: '25', ...over });
  const without = (body: Body, key: string): Body => Object.fromEntries(Object.entries(body).filter(([k]) => k !== key));

  it('accepts each type with amount or units as a number or a decimal string, and stores them with their full scale and the fee', async () => {
    const none = { targetProductCode: null, amount: null, units: null, bankAccountId: null };
    const sub: Stored = { ...none, type: 'SUBSCRIPTION', productCode: 'MMF-KAS', feePct: '0.00' };
    const red: Stored = { ...none, type: 'REDEMPTION', productCode: 'FIF-OBLIGASI', bankAccountId: investor.bankAccountId, feePct: '0.50' };
    const swi: Stored = { ...none, type: 'SWITCHING', productCode: 'FIF-OBLIGASI', targetProductCode: 'BAL-SEIMBANG', feePct: '0.50' };
    const cases: Array<[string, Body, Stored]> = [
      ['a subscription, amount as a number', subscription({ amount: 1500000 }), { ...sub, amount: '1500000.00' }],
      ['a subscription, amount with one decimal as a string', subscription({ productCode: 'EQF-SAHAM', amount: '100000.5' }), { ...sub, productCode: 'EQF-SAHAM', amount: '100000.50', feePct: '2.00' }],
      ['a subscription of exactly the minimum', subscription({ productCode: 'FIF-OBLIGASI', amount: 100000 }), { ...sub, productCode: 'FIF-OBLIGASI', amount: '100000.00', feePct: '1.00' }],
      ['a subscription, product code in lower case, leading zeros', subscription({ productCode: ' mmf-kas ', amount: '0012000.1' }), { ...sub, amount: '12000.10' }],
      ['a subscription with the optional fields null', subscription({ targetProductCode: null, units: null, bankAccountId: null, riskAcknowledged: null }), { ...sub, amount: '1500000.00' }],
      ['a subscription of 18 digits as a string', subscription({ amount: '123456789012345678.99' }), { ...sub, amount: '123456789012345678.99' }],
      ['a redemption by units', redemption(), { ...red, units: '12.5000' }],
      ['a redemption of exactly the minimum units, as a number', redemption({ units: 10 }), { ...red, units: '10.0000' }],
      ['a redemption by amount', redemption({ units: undefined, amount: 250000.75 }), { ...red, amount: '250000.75' }],
      ['a redemption of a fund without a minimum', redemption({ productCode: 'MMF-KAS', units: '0.0001' }), { ...red, productCode: 'MMF-KAS', units: '0.0001', feePct: '0.00' }],
      ['a switch by units (the source’s switching fee)', switching(), { ...swi, units: '25.0000' }],
      ['a switch by amount of the target’s minimum', switching({ productCode: 'EQF-SAHAM', targetProductCode: 'EQF-SYARIAH', units: undefined, amount: '100000' }), { ...swi, productCode: 'EQF-SAHAM', targetProductCode: 'EQF-SYARIAH', amount: '100000.00', feePct: '1.00' }],
      ['a switch within another product house', switching({ productCode: 'FIF-SUKUK', targetProductCode: 'EQF-INDEKS', units: undefined, amount: 100000 }), { ...swi, productCode: 'FIF-SUKUK', targetProductCode: 'EQF-INDEKS', amount: '100000.00', feePct: '0.00' }],
    ];
    for (const [name, body, expected] of cases) {
      const res = await instructionApi.create(agent.accessToken, body);
      assert.equal(res.status, 201, `${name}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(Object.fromEntries(Object.keys(expected).map((k) => [k, res.body[k]])), expected, name);
      assert.equal(res.body.status, 'PENDING_SIGNATURE', name);
      const [row] = await asOwner<{ amount: string | null; units: string | null }>(`select amount, units from instruction where id = $1::uuid`, [res.body.id]);
      assert.deepEqual([row!.amount, row!.units], [expected.amount, expected.units], `${name}: stored`);
    }
  });

  it('refuses bodies that do not fit the type: 400 VALIDATION_FAILED on the field, nothing written', async () => {
    const before = await countOf(investor.id);
    const cases: Array<[string, Body, string]> = [
      ['no investor', without(subscription(), 'investorId'), 'body.investorId'],
      ['an investor id that is no uuid', subscription({ investorId: 'budi' }), 'body.investorId'],
      ['an unknown type', subscription({ type: 'BUY' }), 'body.type'],
      ['a product code that is no code', subscription({ productCode: 'x' }), 'body.productCode'],
      ['an unknown field', subscription({ fee: '1.00' }), 'body.fee'],
      ['a subscription without amount', without(subscription(), 'amount'), 'body.amount'],
      ['a subscription with units', subscription({ units: '10' }), 'body.units'],
      ['a subscription with a target', subscription({ targetProductCode: 'FIF-OBLIGASI' }), 'body.targetProductCode'],
      ['a subscription with a bank account', subscription({ bankAccountId: investor.bankAccountId }), 'body.bankAccountId'],
      ['an amount with three decimals', subscription({ amount: '100000.123' }), 'body.amount'],
      ['an amount number with three decimals', subscription({ amount: 100000.125 }), 'body.amount'],
      ['an amount of zero', subscription({ amount: 0 }), 'body.amount'],
      ['an amount of 0.00', subscription({ amount: '0.00' }), 'body.amount'],
      ['a negative amount', subscription({ amount: -5 }), 'body.amount'],
      ['an amount in exponent notation', subscription({ amount: '1e6' }), 'body.amount'],
      ['an amount with thousands separators', subscription({ amount: '1,500,000' }), 'body.amount'],
      ['an amount with blanks', subscription({ amount: ' 1500000' }), 'body.amount'],
      ['an empty amount', subscription({ amount: '' }), 'body.amount'],
      ['an amount too large for a JSON number', subscription({ amount: 10_000_000_000_000 }), 'body.amount'],
      ['an amount of 19 digits', subscription({ amount: '1234567890123456789' }), 'body.amount'],
      ['an amount that is a boolean', subscription({ amount: true }), 'body.amount'],
      ['units with five decimals', redemption({ units: '1.12345' }), 'body.units'],
      ['a redemption with amount and units', redemption({ amount: '100000' }), 'body.units'],
      ['a redemption with neither', without(redemption(), 'units'), 'body.amount'],
      ['a redemption without a bank account', without(redemption(), 'bankAccountId'), 'body.bankAccountId'],
      ['a redemption with a target', redemption({ targetProductCode: 'MMF-KAS' }), 'body.targetProductCode'],
      ['a bank account id as a string', redemption({ bankAccountId: String(investor.bankAccountId) }), 'body.bankAccountId'],
      ['a switch without a target', without(switching(), 'targetProductCode'), 'body.targetProductCode'],
      ['a switch into the same product', switching({ targetProductCode: 'FIF-OBLIGASI' }), 'body.targetProductCode'],
      ['a switch into the same product in lower case', switching({ targetProductCode: 'fif-obligasi' }), 'body.targetProductCode'],
      ['a switch with a bank account', switching({ bankAccountId: investor.bankAccountId }), 'body.bankAccountId'],
      ['a switch with amount and units', switching({ amount: '100000' }), 'body.units'],
      ['a switch with neither', without(switching(), 'units'), 'body.amount'],
      ['an acknowledgement that is no boolean', subscription({ riskAcknowledged: 'yes' }), 'body.riskAcknowledged'],
    ];
    for (const [name, body, field] of cases) {
      const res = await instructionApi.create(agent.accessToken, body);
      assert.equal(res.status, 400, `${name}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'VALIDATION_FAILED', name);
      assert.deepEqual(fieldsOf(res.body), [field], name);
    }
    assert.equal(await countOf(investor.id), before);
  });

  it('refuses what breaks the catalogue’s terms or pays to a wrong account: 422 BUSINESS_RULE on the field, nothing written', async () => {
    const before = await countOf(investor.id);
    const cases: Array<[string, Body, string[]]> = [
      ['an unknown product', subscription({ productCode: 'NOPE-1' }), ['body.productCode']],
      ['a product no longer on sale', subscription({ productCode: closed }), ['body.productCode']],
      ['a switch into an unknown product', switching({ targetProductCode: 'NOPE-2' }), ['body.targetProductCode']],
      ['a switch into a product no longer on sale', switching({ targetProductCode: closed }), ['body.targetProductCode']],
      ['a switch between unknown products', switching({ productCode: 'NOPE-1', targetProductCode: 'NOPE-2' }), ['body.productCode', 'body.targetProductCode']],
      ['a switch to another product house', switching({ targetProductCode: 'EQF-INDEKS' }), ['body.targetProductCode']],
      ['a subscription below the minimum', subscription({ amount: '9999.99' }), ['body.amount']],
      ['a subscription below a larger minimum', subscription({ productCode: 'FIF-OBLIGASI', amount: 99999.99 }), ['body.amount']],
      ['a redemption below the minimum units', redemption({ units: '9.9999' }), ['body.units']],
      ['a switch of an amount below the target’s minimum', switching({ units: undefined, amount: '99999.99' }), ['body.amount']],
      ['a switch into a money-market fund below its minimum', switching({ targetProductCode: 'MMF-KAS', units: undefined, amount: 9999 }), ['body.amount']],
      ['a redemption to another investor’s account', redemption({ bankAccountId: otherInvestor.bankAccountId }), ['body.bankAccountId']],
      ['a redemption to an unverified account', redemption({ bankAccountId: unverifiedAccountId }), ['body.bankAccountId']],
      ['a redemption to an unknown account', redemption({ bankAccountId: 999_999_999 }), ['body.bankAccountId']],
      ['a redemption below the minimum to an unverified account', redemption({ units: '1', bankAccountId: unverifiedAccountId }), ['body.units', 'body.bankAccountId']],
    ];
    for (const [name, body, fields] of cases) {
      const res = await instructionApi.create(agent.accessToken, body);
      assert.equal(res.status, 422, `${name}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'BUSINESS_RULE', name);
      assert.deepEqual(fieldsOf(res.body), fields, name);
    }
    assert.equal(await countOf(investor.id), before);
  });
});

async function countOf(investorId: string): Promise<number> {
  return (await asOwner<{ n: number }>(`select count(*)::int as n from instruction where investor_id = $1::uuid`, [investorId]))[0]!.n;
}
