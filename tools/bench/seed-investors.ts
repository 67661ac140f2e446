import { randomBytes } from 'node:crypto';
import { ownerTransaction } from './seed-users.js';

/**
 * Bulk investors for the CRM list bench and plan test: one company with `agents` agents sharing `investors`
 * investors (a mix of statuses and types, each with a primary bank account), written as the owner in one
 * transaction, then analysed. Sensitive columns hold placeholders: the list never reads them.
 */
export async function seedInvestors(ownerUrl: string, o: { investors: number; agents: number }): Promise<{ companyId: number; agentIds: number[] }> {
  return ownerTransaction(ownerUrl, ['investor', 'investor_bank_account', 'auth_user'], async (client) => {
    const tag = randomBytes(3).toString('hex').toUpperCase();
    const { rows: company } = await client.query<{ id: string }>(
      `insert into auth_company (code, name) values ($1::text, $2::text) returning id`,
      [`I${tag}`, `Bench investors ${tag}`],
    );
    const companyId = Number(company[0]!.id);
    const { rows: agents } = await client.query<{ id: string }>(
      `insert into auth_user (company_id, fullname, email, phone, role, status, waperd_number, waperd_expires_on)
       select $1::bigint, 'Agen ' || i, 'inv-bench-' || $1::bigint || '-' || i || '@example.test',
              '+62' || lpad($1::text, 4, '0') || lpad(i::text, 7, '0'), 'RM_AGENT', 'ACTIVE', 'KEP-' || i, current_date + 365
         from generate_series(1, $2::int) as i
       returning id`,
      [companyId, o.agents],
    );
    const agentIds = agents.map((a) => Number(a.id));
    await client.query(
      `insert into investor (company_id, agent_id, type, status, full_name, email, phone, id_number_hash, id_number_last4,
          risk_questionnaire_version, risk_answers, risk_score, risk_category, submitted_at, decided_at, rejected_reason,
          sync_status, created_at)
       select $1::bigint, ($2::bigint[])[1 + i % cardinality($2::bigint[])],
              case when i % 20 = 0 then 'INSTITUTIONAL' else 'INDIVIDUAL' end,
              s.status, 'Investor ' || i, 'investor-' || i || '@example.test', '+6281' || lpad(i::text, 9, '0'),
              md5($1::text || ':' || i), lpad((i % 10000)::text, 4, '0'),
              '2026.1', '[]'::jsonb, 14, 'MODERATE', now() - make_interval(mins => i), 
              case when s.status in ('APPROVED', 'REJECTED') then now() end,
              case when s.status = 'REJECTED' then 'KTP tidak terbaca' end,
              case when s.status = 'APPROVED' then 'PENDING' else 'NOT_READY' end,
              now() - make_interval(mins => i)
         from generate_series(1, $3::int) as i
        cross join lateral (select case when i % 10 < 6 then 'APPROVED' when i % 10 < 9 then 'SUBMITTED' else 'REJECTED' end as status) as s`,
      [companyId, agentIds, o.investors],
    );
    await client.query(
      `insert into investor_bank_account (investor_id, company_id, bank_code, account_number_enc, account_number_hash,
          account_number_last4, account_holder_name, is_primary, needs_review, verified)
       select id, company_id, '014', 'v1.bench.x.x.x', md5(id::text), '1234', upper(full_name), true, false, status = 'APPROVED'
         from investor where company_id = $1::bigint`,
      [companyId],
    );
    return { companyId, agentIds };
  });
}
