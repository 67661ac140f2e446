import { strict as assert } from 'node:assert';
import { bearer, recordEvents, signIn } from '../../../test/support/auth.js';
import { createCompany } from '../../../test/support/owner.js';
import { captureLogs } from '../../../test/support/logs.js';
import {
  accountNumber,
  crm,
  crmCompany,
  crmRows,
  decideInvestors,
  individualBody,
  institutionalBody,
  nikFor,
  revealPii,
  submitIndividual,
  submitInstitutional,
} from '../../../test/support/crm.js';

/**
 * Personal data at rest, in the audit trail and in the logs, and the audited reveal
 * (GET /crm/investors/{id}/pii).
 */

/** An individual with every sensitive field: NPWP typed formatted, a US TIN, two accounts (one typed in groups). */
function fullIndividual() {
  const base = individualBody({ fullName: 'Budi Santoso' });
  const npwpDigits = `0${String(Date.now()).slice(-8)}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  const second = accountNumber();
  const body = {
    ...base,
    individual: {
      ...base.individual,
      npwp: `${npwpDigits.slice(0, 2)}.${npwpDigits.slice(2, 5)}.${npwpDigits.slice(5, 8)}.${npwpDigits.slice(8, 9)}-${npwpDigits.slice(9, 12)}.${npwpDigits.slice(12)}`,
      motherMaidenName: 'Ratna Kusumawati',
      fatcaUsPerson: true,
      usTin: '123-45-6789',
    },
    bankAccounts: [
      ...base.bankAccounts,
      { bankCode: '008', accountNumber: `${second.slice(0, 4)} ${second.slice(4, 8)} ${second.slice(8)}`, accountHolderName: 'BUDI SANTOSO', isPrimary: false },
    ],
  };
  const secrets = {
    nik: base.individual.nik,
    npwp: npwpDigits,
    motherMaidenName: 'Ratna Kusumawati',
    usTin: '123456789',
    accounts: [base.bankAccounts[0]!.accountNumber, second],
  };
  return { body, secrets };
}

function institution() {
  const body = institutionalBody();
  const second = { ...body.institutional.authorizedPersons[0]!, name: 'Sri Rahayu', nik: nikFor('1980-11-02', 'FEMALE') };
  const withTwo = { ...body, institutional: { ...body.institutional, authorizedPersons: [...body.institutional.authorizedPersons, second] } };
  const secrets = {
    npwp: body.institutional.npwp,
    authorizedNiks: withTwo.institutional.authorizedPersons.map((p) => p.nik),
    accounts: [body.bankAccounts[0]!.accountNumber],
  };
  return { body: withTwo, secrets };
}

const rawValues = (s: Record<string, string | string[]>) => Object.values(s).flat();

function assertNoneOf(text: string, values: string[], where: string): void {
  for (const v of values) assert.ok(!text.includes(v), `${where} holds the raw value ${v.slice(0, 2)}…`);
}

/** The audit rows of an investor and of its detail rows (bank accounts and authorized persons are filed under their own ids). */
const auditRows = (investorId: string) =>
  crmRows<{ entity: string; action_name: string; prev_entity_value: unknown; new_entity_value: unknown }>(
    `select entity, action_name, prev_entity_value, new_entity_value from auth_user_action_log
      where entity like 'investor%'
        and (entity_id = $1::text or new_entity_value ->> 'investor_id' = $1::text or prev_entity_value ->> 'investor_id' = $1::text)
      order by id`,
    [investorId],
  );

function sealedKeys(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [...(/_(enc|hash)$/.test(k) ? [k] : []), ...sealedKeys(v)]);
}

describe('crm: investor personal data', () => {
  recordEvents();

  describe('at rest', () => {
    it('stores no raw NIK, NPWP, mother’s name, US TIN or account number in any column; sealed values are v1', async () => {
      const { agent, admin } = await crmCompany();
      const { body, secrets } = fullIndividual();
      const { investor } = await submitIndividual(agent.accessToken, body);
      await decideInvestors(admin.accessToken, { ids: [investor.id], decision: 'APPROVE' }).expect(200);

      const [ind] = await crmRows(`select * from investor_individual where investor_id = $1::uuid`, [investor.id]);
      const accounts = await crmRows(`select * from investor_bank_account where investor_id = $1::uuid`, [investor.id]);
      const [inv] = await crmRows(`select * from investor where id = $1::uuid`, [investor.id]);
      assert.ok(ind && inv);
      assert.equal(accounts.length, 2);
      const rows: Array<[string, unknown]> = [['investor_individual', ind], ['investor', inv], ...accounts.map((a): [string, unknown] => ['investor_bank_account', a])];
      for (const [name, row] of rows) {
        assertNoneOf(JSON.stringify(row), rawValues(secrets), name);
      }
      for (const column of ['nik_enc', 'npwp_enc', 'mother_maiden_name_enc', 'us_tin_enc']) assert.match(String(ind[column]), /^v1\./, column);
      for (const a of accounts) assert.match(String(a.account_number_enc), /^v1\./);

      const audit = await auditRows(investor.id);
      assert.deepEqual([...new Set(audit.map((r) => r.entity))].sort(), ['investor', 'investor_bank_account', 'investor_individual']);
      for (const row of audit) {
        assertNoneOf(JSON.stringify([row.prev_entity_value, row.new_entity_value]), rawValues(secrets), `audit ${row.entity} ${row.action_name}`);
        assert.deepEqual(sealedKeys([row.prev_entity_value, row.new_entity_value]), [], `audit ${row.entity} ${row.action_name} carries no ciphertext or hash`);
      }
      assert.ok(audit.some((r) => r.entity === 'investor_bank_account' && r.action_name === 'update'), 'the approval’s verification is audited');
    });

    it('stores an institution’s NPWP and its authorized persons’ NIKs sealed, and keeps them out of the trail', async () => {
      const { agent } = await crmCompany();
      const { body, secrets } = institution();
      const { investor } = await submitInstitutional(agent.accessToken, body);

      const [inst] = await crmRows(`select * from investor_institutional where investor_id = $1::uuid`, [investor.id]);
      const people = await crmRows(`select * from investor_authorized_person where investor_id = $1::uuid order by id`, [investor.id]);
      const accounts = await crmRows(`select * from investor_bank_account where investor_id = $1::uuid`, [investor.id]);
      const [inv] = await crmRows(`select * from investor where id = $1::uuid`, [investor.id]);
      assert.ok(inst && inv);
      assert.equal(people.length, 2);
      const rows: Array<[string, unknown]> = [
        ['investor_institutional', inst],
        ['investor', inv],
        ...people.map((p): [string, unknown] => ['investor_authorized_person', p]),
        ...accounts.map((a): [string, unknown] => ['investor_bank_account', a]),
      ];
      for (const [name, row] of rows) {
        assertNoneOf(JSON.stringify(row), rawValues(secrets), name);
      }
      assert.match(String(inst.npwp_enc), /^v1\./);
      for (const p of people) assert.match(String(p.nik_enc), /^v1\./);
      assert.deepEqual(people.map((p) => p.nik_last4), secrets.authorizedNiks.map((n) => n.slice(-4)));

      const audit = await auditRows(investor.id);
      assert.deepEqual([...new Set(audit.map((r) => r.entity))].sort(), ['investor', 'investor_authorized_person', 'investor_bank_account', 'investor_institutional']);
      for (const row of audit) {
        assertNoneOf(JSON.stringify(row.new_entity_value), rawValues(secrets), `audit ${row.entity}`);
        assert.deepEqual(sealedKeys(row.new_entity_value), [], `audit ${row.entity} carries no ciphertext or hash`);
      }
    });
  });

  describe('GET /crm/investors/{id}/pii', () => {
    it('gives an admin the full values of an individual and audits the reading', async () => {
      const { company, agent, admin } = await crmCompany();
      const { body, secrets } = fullIndividual();
      const { investor } = await submitIndividual(agent.accessToken, body);
      const res = await revealPii(admin.accessToken, investor.id).expect(200);
      assert.equal(res.body.nik, secrets.nik);
      assert.equal(res.body.npwp, secrets.npwp);
      assert.equal(res.body.motherMaidenName, secrets.motherMaidenName);
      assert.equal(res.body.usTin, secrets.usTin);
      assert.deepEqual(
        res.body.bankAccounts.map((a: { bankCode: string; accountNumber: string }) => [a.bankCode, a.accountNumber]),
        [['014', secrets.accounts[0]], ['008', secrets.accounts[1]]],
      );
      assert.deepEqual(res.body.authorizedPersons, []);

      const audit = await crmRows<{ actor_id: string; company_id: string; new_entity_value: { fields: string[] } }>(
        `select actor_id, company_id, new_entity_value from auth_user_action_log where entity = 'investor' and entity_id = $1::text and action_name = 'reveal'`,
        [investor.id],
      );
      assert.equal(audit.length, 1);
      assert.equal(Number(audit[0]!.actor_id), admin.id);
      assert.equal(Number(audit[0]!.company_id), company.id);
      assert.deepEqual([...audit[0]!.new_entity_value.fields].sort(), ['bankAccounts', 'motherMaidenName', 'nik', 'npwp', 'usTin']);
    });

    it('gives the institution’s NPWP and its authorized persons’ NIKs', async () => {
      const { agent, admin } = await crmCompany();
      const { body, secrets } = institution();
      const { investor } = await submitInstitutional(agent.accessToken, body);
      const res = await revealPii(admin.accessToken, investor.id).expect(200);
      assert.equal(res.body.nik, null);
      assert.equal(res.body.npwp, secrets.npwp);
      assert.equal(res.body.motherMaidenName, null);
      assert.equal(res.body.usTin, null);
      assert.deepEqual(res.body.bankAccounts.map((a: { accountNumber: string }) => a.accountNumber), secrets.accounts);
      assert.deepEqual(
        res.body.authorizedPersons.map((p: { name: string; nik: string }) => [p.name, p.nik]),
        [['Agus Wijaya', secrets.authorizedNiks[0]], ['Sri Rahayu', secrets.authorizedNiks[1]]],
      );
      const [audit] = await crmRows<{ new_entity_value: { fields: string[] } }>(
        `select new_entity_value from auth_user_action_log where entity = 'investor' and entity_id = $1::text and action_name = 'reveal'`,
        [investor.id],
      );
      assert.deepEqual([...audit!.new_entity_value.fields].sort(), ['authorizedPersons', 'bankAccounts', 'npwp']);
    });

    it('is refused to the agent (403) and to another company’s admin (404), neither leaving an audit row', async () => {
      const { agent } = await crmCompany();
      const stranger = await signIn({ companyId: (await createCompany()).id, role: 'ADMIN' });
      const { investor } = await submitIndividual(agent.accessToken);
      assert.equal((await revealPii(agent.accessToken, investor.id).expect(403)).body.code, 'FORBIDDEN');
      assert.equal((await revealPii(stranger.accessToken, investor.id).expect(404)).body.code, 'NOT_FOUND');
      const rows = await crmRows(`select 1 from auth_user_action_log where entity_id = $1::text and action_name = 'reveal'`, [investor.id]);
      assert.equal(rows.length, 0);
    });
  });

  describe('logs', () => {
    it('never write the raw values while submitting, approving and revealing', async () => {
      const { agent, admin } = await crmCompany();
      const ind = fullIndividual();
      const inst = institution();
      const logs = captureLogs();
      try {
        const { investor } = await submitIndividual(agent.accessToken, ind.body);
        const { investor: company } = await submitInstitutional(agent.accessToken, inst.body);
        // A refused duplicate (its body carries the same NIK) and a refused body are logged too.
        await crm().post('/crm/investors').set(bearer(agent.accessToken)).send(ind.body).expect(409);
        await crm().post('/crm/investors').set(bearer(agent.accessToken)).send({ ...ind.body, bogus: 1 }).expect(400);
        await decideInvestors(admin.accessToken, { ids: [investor.id, company.id], decision: 'APPROVE' }).expect(200);
        await revealPii(admin.accessToken, investor.id).expect(200);
        await revealPii(admin.accessToken, company.id).expect(200);
      } finally {
        logs.restore();
      }
      assert.ok(logs.lines.length >= 7, 'the requests were logged');
      assertNoneOf(JSON.stringify(logs.lines), [...rawValues(ind.secrets), ...rawValues(inst.secrets)], 'the log');
    });

    it('never write a NIK or NPWP typed into the investor search', async () => {
      const { agent, admin } = await crmCompany();
      const ind = fullIndividual();
      const inst = institution();
      await submitIndividual(agent.accessToken, ind.body);
      await submitInstitutional(agent.accessToken, inst.body);
      const logs = captureLogs();
      try {
        for (const q of [ind.secrets.nik, inst.secrets.npwp]) {
          const res = await crm().get('/crm/investors').query({ q }).set(bearer(admin.accessToken)).expect(200);
          assert.equal(res.body.items.length, 1);
        }
      } finally {
        logs.restore();
      }
      assert.ok(logs.lines.length >= 2, 'the requests were logged');
      assertNoneOf(JSON.stringify(logs.lines), [ind.secrets.nik, inst.secrets.npwp], 'the log');
    });
  });
});
