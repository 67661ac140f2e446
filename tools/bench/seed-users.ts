import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Bulk users for the list benches and the plan test: one big company with `users` users (a mix of statuses
 * and roles, each with a membership, so the audit trigger writes two entries per user) and a small one beside
 * it. Written as the owner in one transaction with the super-admin setting, then analysed.
 */
/** One transaction as the owner with the super-admin setting (tenant tables are under FORCE'd RLS), then ANALYZE. */
export async function ownerTransaction<T>(ownerUrl: string, analyze: string[], fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('app.super_admin', 'on', true)`);
    const result = await fn(client);
    await client.query('commit');
    for (const table of analyze) await client.query(`analyze ${table}`);
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

export async function seedUsers(ownerUrl: string, o: { users: number }): Promise<{ big: number; small: number }> {
  return ownerTransaction(ownerUrl, ['auth_user', 'auth_user_company', 'auth_user_action_log', 'auth_company'], async (client) => {
    const tag = randomBytes(3).toString('hex').toUpperCase();
    const company = async (suffix: string) =>
      Number((await client.query<{ id: string }>(`insert into auth_company (code, name) values ($1::text, $2::text) returning id`, [`B${tag}${suffix}`, `Bench ${tag} ${suffix}`])).rows[0]!.id);
    const big = await company('BIG');
    const small = await company('SMALL');
    for (const [companyId, n] of [[big, o.users], [small, 50]] as const) {
      await client.query(
        `insert into auth_user (company_id, fullname, email, phone, role, status, waperd_number, waperd_expires_on)
         select $1::bigint, 'Agen ' || i, 'bench-' || $1::bigint || '-' || i || '@example.test',
                '+62' || lpad($1::text, 4, '0') || lpad(i::text, 7, '0'),
                case when i % 100 = 0 then 'ADMIN' else 'RM_AGENT' end,
                case when i % 50 = 0 then 'PENDING_APPROVAL' when i % 10 = 1 then 'INACTIVE' else 'ACTIVE' end,
                case when i % 100 = 0 then null else 'KEP-' || i end,
                case when i % 100 = 0 then null else current_date + 365 end
           from generate_series(1, $2::int) as i`,
        [companyId, n],
      );
      await client.query(
        `insert into auth_user_company (user_id, company_id) select id, company_id from auth_user where company_id = $1::bigint`,
        [companyId],
      );
    }
    return { big, small };
  });
}
