import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { localBibCredentials } from '../../../shared/bib/bib.js';
import { CircuitBreaker, type BreakerOptions } from '../../../shared/bib/circuit-breaker.js';
import { BibClient } from '../../../shared/bib/client.js';
import { encrypt } from '../../../shared/crypto/encryption.js';
import { createPool, usePool } from '../../../shared/db/pool.js';
import { nikFor } from '../../../tools/local/sample-kyc.js';
import { startBibSimulator, type BibFaults, type BibSimulator } from '../../../tools/bib-simulator/simulator.js';
import { scratchDatabase, type ScratchDatabase } from '../../../test/support/database.js';
import type { SyncLimits } from '../sync-context.js';

/**
 * Test support of the sync: a database of the suite's own (runs over "all" tenants then see only the suite's
 * records), bulk seeding as the owner with personal data encrypted the way the CRM stores it, a simulator of
 * the suite's own with faults, and a client with a short timeout and a fast breaker.
 */
export interface SyncDatabase {
  owner: pg.Pool;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<R[]>;
}

/** Mocha hooks: the app's pool points at a fresh scratch database for the suite, and back afterwards. */
export function useScratchDatabase(): SyncDatabase {
  let db: ScratchDatabase | undefined;
  const handle = {
    owner: undefined as unknown as pg.Pool,
    async query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
      const client = await handle.owner.connect();
      try {
        await client.query('begin');
        await client.query(`select set_config('app.super_admin', 'on', true)`);
        const { rows } = await client.query<R>(sql, values);
        await client.query('commit');
        return rows;
      } catch (err) {
        await client.query('rollback');
        throw err;
      } finally {
        client.release();
      }
    },
  };
  before(async function () {
    this.timeout(60_000);
    db = await scratchDatabase();
    handle.owner = new pg.Pool({ connectionString: db.ownerUrl, max: 3 });
    await usePool(createPool(db.appUrl, 8));
  });
  after(async function () {
    this.timeout(60_000);
    await usePool(undefined);
    await handle.owner?.end();
    await db?.drop();
  });
  return handle;
}

export async function startSimulator(faults: Partial<BibFaults> = {}): Promise<BibSimulator> {
  return startBibSimulator({ port: 0, seed: 42, faults });
}

export function clientOf(sim: BibSimulator, o: { timeoutMs?: number; breaker?: BreakerOptions; fetch?: typeof fetch } = {}): BibClient {
  return new BibClient({
    baseUrl: sim.url,
    credentials: async () => localBibCredentials,
    timeoutMs: o.timeoutMs ?? 150,
    breaker: new CircuitBreaker({ openMs: 50, ...o.breaker }),
    ...(o.fetch ? { fetch: o.fetch } : {}),
  });
}

/** Limits for tests: tiny backoff, so a retried record is due again at once. */
export const fastLimits: Partial<SyncLimits> = { batch: 100, concurrency: 16, maxMs: 60_000, backoffBaseMs: 1, backoffMaxMs: 5, maxAttempts: 12, leaseSeconds: 120 };

export interface Seeded {
  companyId: number;
  agentId: number;
  investors: Array<{ id: string; nik: string; accountNumber: string }>;
  instructions: Array<{ id: string; investorId: string }>;
}

/**
 * One tenant with an agent, `investors` APPROVED individuals waiting for the push (NIK, mother's maiden name and a
 * verified account encrypted as the CRM does) and `instructionsEach` SIGNED subscriptions per investor.
 */
export async function seedTenant(db: SyncDatabase, o: { investors: number; instructionsEach?: number; productCode?: string }): Promise<Seeded> {
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
        nikEnc: await encrypt(nik, `investor_individual.nik:${id}`),
        motherEnc: await encrypt('Siti Aminah', `investor_individual.mother_maiden_name:${id}`),
        accountEnc: await encrypt(accountNumber, `investor_bank_account.account_number:${id}`),
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
