import pg from 'pg';

/**
 * Local demo data, written as the owner on every start and idempotent. The demo tenant "Demo Sekuritas"
 * exists now; its SUPER_ADMIN and ADMIN users and .data/demo-credentials.json arrive with the auth
 * issue, which brings the users table.
 */
export const demoCompany = { code: 'DEMO', name: 'Demo Sekuritas' };

export async function seedDemo(ownerUrl: string): Promise<{ companyId: number }> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('begin');
    // auth_company is under FORCE'd RLS; creating a tenant is a super-admin act even for the seed.
    await client.query(`select set_config('app.super_admin', 'on', true)`);
    // Insert once; later starts leave the row (and its audit trail) alone.
    const { rows } = await client.query<{ id: number }>(
      `with inserted as (
         insert into auth_company (code, name) values ($1::text, $2::text)
         on conflict (code) do nothing
         returning id
       )
       select id from inserted
       union all
       select id from auth_company where code = $1::text
       limit 1`,
      [demoCompany.code, demoCompany.name],
    );
    await client.query('commit');
    return { companyId: Number(rows[0]!.id) };
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}
