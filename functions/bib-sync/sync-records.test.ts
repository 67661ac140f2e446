import { strict as assert } from 'node:assert';
import { recordEvents } from '../../test/support/auth.js';
import { approvedIndividual, crmCompany, crmRows, getInvestor } from '../../test/support/crm.js';
import { instructionTrail } from '../../test/support/instructions.js';
import { captureLogs } from '../../test/support/logs.js';
import { runSync } from './run-sync.js';
import { waitingForInvestor } from './push-instructions.js';
import { clientOf, fastLimits, useOwnSimulator } from './test/sync-fixtures.js';
import { approvedInstitution, recordingFetch, signedInstruction, syncRow, type Sent } from './test/crm-records.js';

/**
 * One record at a time, on records the CRM wrote through its routes: what Bib is sent, and how failures are
 * recorded per record. Runs are scoped (a company, named records), so other suites' records stay out.
 */
describe('bib sync of single records', function () {
  this.timeout(30_000);
  recordEvents();
  const ownSim = useOwnSimulator();

  it('sends Bib what the CRM stored, decrypted: NIK or NPWP, verified accounts, the redemption account; nothing personal in the logs', async () => {
    const { company, agent, admin } = await crmCompany();
    const person = await approvedIndividual(agent.accessToken, admin.accessToken);
    const institution = await approvedInstitution(agent.accessToken, admin.accessToken);
    const sent: Sent = { investors: [], orders: [] };
    const client = clientOf(ownSim(), { timeoutMs: 2_000, fetch: recordingFetch(sent) });
    const logs = captureLogs();
    try {
      const report = await runSync({ scope: { scope: 'investors', investorIds: [person.investor.id, institution.investor.id] }, client, limits: fastLimits });
      assert.equal(report.investors.synced, 2);

      const individual = person.body.individual;
      assert.deepEqual(sent.investors.find((b) => b.clientRef === person.investor.id), {
        clientRef: person.investor.id,
        companyId: company.id,
        agentRef: String(agent.id),
        type: 'INDIVIDUAL',
        fullName: individual.fullName,
        email: individual.email,
        phone: individual.phone,
        identityNumber: individual.nik,
        birthDate: individual.birthDate,
        riskProfile: 'CONSERVATIVE',
        bankAccounts: person.body.bankAccounts.map((a) => ({ bankCode: a.bankCode, accountNumber: a.accountNumber, accountHolder: a.accountHolderName })),
      });
      const inst = sent.investors.find((b) => b.clientRef === institution.investor.id)!;
      assert.deepEqual([inst.type, inst.identityNumber, inst.birthDate, inst.bankAccounts[0]!.accountNumber], [
        'INSTITUTIONAL',
        institution.body.institutional.npwp,
        null,
        institution.body.bankAccounts[0]!.accountNumber,
      ]);
      const bibId = ownSim().investors().find((i) => i.clientRef === person.investor.id)!.id;
      const view = (await getInvestor(admin.accessToken, person.investor.id).expect(200)).body;
      assert.deepEqual([view.externalId, view.syncStatus], [bibId, 'SYNCED']);

      // Orders: a redemption carries the account the money goes to; a subscription none.
      const [account] = await crmRows<{ id: number }>(`select id from investor_bank_account where investor_id = $1::uuid`, [person.investor.id]);
      const redemption = await signedInstruction({ investorId: person.investor.id, type: 'REDEMPTION', bankAccountId: Number(account!.id) });
      const subscription = await signedInstruction({ investorId: person.investor.id });
      const orders = await runSync({ scope: { scope: 'instructions', instructionIds: [redemption, subscription] }, client, limits: fastLimits });
      assert.equal(orders.instructions.synced, 2);
      const sentRedemption = sent.orders.find((o) => o.clientRef === redemption)!;
      assert.deepEqual([sentRedemption.investorId, sentRedemption.type, sentRedemption.units, sentRedemption.amount], [bibId, 'REDEMPTION', '10.5000', null]);
      assert.deepEqual(sentRedemption.bankAccount, {
        bankCode: person.body.bankAccounts[0]!.bankCode,
        accountNumber: person.body.bankAccounts[0]!.accountNumber,
        accountHolder: person.body.bankAccounts[0]!.accountHolderName,
      });
      const sentSubscription = sent.orders.find((o) => o.clientRef === subscription)!;
      assert.deepEqual([sentSubscription.amount, sentSubscription.bankAccount], ['1500000.00', null]);

      // SIGNED → SUBMITTED with Bib's order, in the audit trail, by no user.
      const row = await syncRow('instruction', subscription);
      assert.deepEqual([row.status, row.external_id, row.sync_status], ['SUBMITTED', ownSim().orderByClientRef(subscription)!.id, 'SYNCED']);
      const trail = await instructionTrail(subscription);
      assert.deepEqual([trail.at(-1)!.before!.status, trail.at(-1)!.after!.status, trail.at(-1)!.actor_id], ['SIGNED', 'SUBMITTED', null]);
    } finally {
      logs.restore();
    }
    const logged = JSON.stringify(logs.lines);
    assert.ok(logs.lines.some((l) => l.message === 'bib sync run finished'));
    for (const secret of [person.body.individual.nik, institution.body.institutional.npwp, person.body.bankAccounts[0]!.accountNumber]) {
      assert.ok(!logged.includes(secret), 'personal data in the logs');
    }
  });

  it('backs off a record Bib keeps failing, counts its attempts, FAILS it after maxAttempts; an admin’s named sync retries it', async () => {
    const { company, agent, admin } = await crmCompany();
    const { investor } = await approvedIndividual(agent.accessToken, admin.accessToken);
    ownSim().setFaults({ errorRate: 1, errorAfterCommitShare: 0 });
    const client = clientOf(ownSim());
    const limits = { ...fastLimits, backoffBaseMs: 60_000, backoffMaxMs: 600_000, maxAttempts: 3 };
    const companyRun = () => runSync({ scope: { scope: 'company', companyId: company.id }, client, limits });
    const namedRun = () => runSync({ scope: { scope: 'investors', investorIds: [investor.id] }, client, limits });

    const before = Date.now();
    assert.equal((await companyRun()).investors.retried, 1);
    const first = await syncRow('investor', investor.id);
    assert.deepEqual([first.sync_status, first.sync_attempts, first.external_id, first.sync_claimed_until], ['PENDING', 1, null, null]);
    assert.match(first.sync_error!, /^Bib unavailable 50[023]/);
    assert.ok(first.sync_next_at!.getTime() >= before - 1000 && first.sync_next_at!.getTime() <= Date.now() + 60_000);
    // Not due before its backoff has passed...
    assert.equal((await companyRun()).investors.claimed, 0);
    // ...but an admin's named sync goes at once; the third failure is the last.
    assert.equal((await namedRun()).investors.retried, 1);
    assert.equal((await namedRun()).investors.failed, 1);
    const failed = await syncRow('investor', investor.id);
    assert.deepEqual([failed.sync_status, failed.sync_attempts, failed.sync_next_at], ['FAILED', 3, null]);
    assert.equal((await companyRun()).investors.claimed, 0, 'a FAILED record waits for an admin');

    ownSim().setFaults({ errorRate: 0 });
    assert.equal((await namedRun()).investors.synced, 1);
    const synced = await syncRow('investor', investor.id);
    assert.deepEqual([synced.sync_status, synced.sync_error, synced.external_id], ['SYNCED', null, ownSim().investors()[0]!.id]);
  });

  it('FAILS a record at once when Bib refuses it (an order for a fund Bib does not know)', async () => {
    const { company, agent, admin } = await crmCompany();
    const { investor } = await approvedIndividual(agent.accessToken, admin.accessToken);
    const id = await signedInstruction({ investorId: investor.id, productCode: 'NO-SUCH-FUND' });
    const report = await runSync({ scope: { scope: 'company', companyId: company.id }, client: clientOf(ownSim()), limits: fastLimits });
    assert.deepEqual([report.investors.synced, report.instructions.failed], [1, 1]);
    const row = await syncRow('instruction', id);
    assert.deepEqual([row.status, row.sync_status, row.sync_attempts, row.sync_error, row.sync_claimed_until], ['SIGNED', 'FAILED', 1, 'Bib rejected 422 UNKNOWN_PRODUCT', null]);
    assert.equal(ownSim().stats().orderCreateRequests, 1);
    assert.equal((await runSync({ scope: { scope: 'company', companyId: company.id }, client: clientOf(ownSim()), limits: fastLimits })).instructions.claimed, 0);
  });

  it('holds an instruction back, without counting an attempt, until its investor is at Bib', async () => {
    const { company, agent, admin } = await crmCompany();
    const { investor } = await approvedIndividual(agent.accessToken, admin.accessToken);
    await crmRows(`update investor set sync_status = 'FAILED', sync_error = 'Bib rejected 422 X' where id = $1::uuid`, [investor.id]);
    const id = await signedInstruction({ investorId: investor.id });
    const client = clientOf(ownSim());
    const report = await runSync({ scope: { scope: 'company', companyId: company.id }, client, limits: { ...fastLimits, backoffMaxMs: 3_600_000 } });
    assert.deepEqual([report.investors.claimed, report.instructions.deferred], [0, 1]);
    const waiting = await syncRow('instruction', id);
    assert.deepEqual([waiting.status, waiting.sync_status, waiting.sync_attempts, waiting.sync_error, waiting.sync_claimed_until], ['SIGNED', 'PENDING', 0, waitingForInvestor, null]);
    // Its investor was refused: it waits long (backoffMaxMs), not a retry every few seconds.
    assert.ok(waiting.sync_next_at!.getTime() > Date.now() + 3_000_000);
    assert.equal(ownSim().stats().orderCreateRequests, 0);

    await runSync({ scope: { scope: 'investors', investorIds: [investor.id] }, client, limits: fastLimits });
    await runSync({ scope: { scope: 'instructions', instructionIds: [id] }, client, limits: fastLimits });
    const sent = await syncRow('instruction', id);
    assert.deepEqual([sent.status, sent.sync_status, sent.sync_error], ['SUBMITTED', 'SYNCED', null]);
    assert.equal(ownSim().orderByClientRef(id)!.investorId, (await syncRow('investor', investor.id)).external_id);
  });
});
