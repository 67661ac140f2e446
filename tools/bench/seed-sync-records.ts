import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { seal } from '../../shared/crypto/investor-fields.js';
import { nikFor } from '../local/sample-kyc.js';

/**
 * Records waiting for the Bib sync, in bulk: what the sync's tests and `npm run bench` push. Personal data is
 * encrypted the way the CRM stores it (shared/crypto/investor-fields.ts), so the sync can read it.
 */

/** Runs one statement as the owner with the super-admin setting (tenant tables are under FORCE'd RLS). */
export interface OwnerQuery {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<R[]>;
}

/** An OwnerQuery over a client already in a transaction with the super-admin setting (seed-users.ts, ownerTransaction). */
export const ownerQueryOf = (client: pg.Client): OwnerQuery => ({
  query: async <R extends pg.QueryResultRow>(sql: string, values: unknown[] = []) => (await client.query<R>(sql, values)).rows,
});

export interface SeededSyncRecords {
  companyId: number;
  agentId: number;
  investors: Array<{ id: string; nik: string; accountNumber: string }>;
  instructions: Array<{ id: string; investorId: string }>;
}

/**
 * One tenant with an agent, `investors` APPROVED individuals waiting for the push (NIK, mother's maiden name and a
 * verified account encrypted as the CRM does) and `instructionsEach` SIGNED subscriptions per investor.
 */
export async function seedSyncRecords(db: OwnerQuery, o: { investors: number; instructionsEach?: number; productCode?: string }): Promise<SeededSyncRecords> {
  const tag = randomUUID().slice(0, 8).toUpperCase();
  const [company] = await db.query<{ id: number }>(`insert into auth_company (code, name) values ($1::text, $2::text) returning id`, [`S${tag}`, `Sync ${tag}`]);
  const companyId = Number(company!.id);
  const [agent] = await db.query<{ id: number }>(
    `insert into auth_user (company_id, fullname, email, phone, role, status) values ($1::bigint, 'Agen Sync', $2::text, $3::text, 'RM_AGENT', 'ACTIVE') returning id`,
    [companyId, `agent-${tag.toLowerCase()}@example.test`, `+628${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}1`],
  );
  const agentId = Number(agent!.id);
  const investors = await Promise.all(
    Array.from({ length: o.investors }, async () => {
      const id = randomUUID();
      const nik = nikFor('1985-04-12', 'FEMALE');
      const accountNumber = String(1_000_000_000 + Math.floor(Math.random() * 8_999_999_999));
      return {
        id,
        nik,
        accountNumber,
        nikEnc: await seal('nik', id, nik),
        motherEnc: await seal('motherMaidenName', id, 'Siti Aminah'),
        accountEnc: await seal('accountNumber', id, accountNumber),
      };
    }),
  );
  const ids = investors.map((i) => i.id);
  await db.query(
    `insert into investor (id, company_id, agent_id, type, status, full_name, email, id_number_hash, id_number_last4,
        risk_questionnaire_version, risk_answers, risk_score, risk_category, submitted_at, decided_at, sync_status)
     select u.id, $1::bigint, $2::bigint, 'INDIVIDUAL', 'APPROVED', 'Investor ' || u.n, 'investor-' || u.id || '@example.test',
            md5(u.id::text), '1234', '2026.1', '[]'::jsonb, 14, 'MODERATE', now(), now(), 'PENDING'
       from unnest($3::uuid[]) with ordinality as u (id, n)`,
    [companyId, agentId, ids],
  );
  await db.query(
    `insert into investor_individual (investor_id, company_id, nik_enc, nik_hash, birth_place, birth_date, gender,
        mother_maiden_name_enc, nationality, religion, marital_status, education, occupation, annual_income, source_of_funds,
        investment_objective, address_line, province_code, city_code, district_code, postal_code, beneficial_owner, fatca_us_person)
     select u.id, $1::bigint, u.nik_enc, md5(u.nik_enc), 'Jakarta', date '1985-04-12', '2', u.mother_enc, 'ID', '1', '2', '6', '8',
            '3', '2', '3', 'Jl. Medan Merdeka Barat No. 12', '31', '31.71', '31.71.01', '10110', '{"self": true}'::jsonb, false
       from unnest($2::uuid[], $3::text[], $4::text[]) as u (id, nik_enc, mother_enc)`,
    [companyId, ids, investors.map((i) => i.nikEnc), investors.map((i) => i.motherEnc)],
  );
  await db.query(
    `insert into investor_bank_account (investor_id, company_id, bank_code, account_number_enc, account_number_hash,
        account_number_last4, account_holder_name, is_primary, needs_review, verified)
     select u.id, $1::bigint, '014', u.enc, md5(u.enc), right(u.num, 4), 'INVESTOR', true, false, true
       from unnest($2::uuid[], $3::text[], $4::text[]) as u (id, enc, num)`,
    [companyId, ids, investors.map((i) => i.accountEnc), investors.map((i) => i.accountNumber)],
  );
  const instructions = ids.flatMap((investorId) => Array.from({ length: o.instructionsEach ?? 0 }, () => ({ id: randomUUID(), investorId })));
  if (instructions.length > 0) {
    await db.query(
      `insert into instruction (id, company_id, investor_id, agent_id, type, product_code, product_name, amount, suitability,
          status, link_expires_at, signed_at, sync_status)
       select u.id, $1::bigint, u.investor_id, $2::bigint, 'SUBSCRIPTION', $5::text, 'Dana Kas Likuid', 1500000, '{"suitable": true}'::jsonb,
              'SIGNED', now() + interval '1 day', now(), 'PENDING'
         from unnest($3::uuid[], $4::uuid[]) as u (id, investor_id)`,
      [companyId, agentId, instructions.map((i) => i.id), instructions.map((i) => i.investorId), o.productCode ?? 'MMF-KAS'],
    );
  }
  return { companyId, agentId, investors: investors.map(({ id, nik, accountNumber }) => ({ id, nik, accountNumber })), instructions };
}
