import { strict as assert } from 'node:assert';
import { withTransaction } from './tx.js';
import { isAppError } from '../errors.js';
import { createCompany } from '../../test/support/owner.js';

/** Real Postgres errors, raised by real statements, become the AppError codes the API promises. */
describe('database errors → AppError', () => {
  const superAdmin = { companyIds: [], superAdmin: true };
  const cases: Array<[string, (existingCode: string) => string, string]> = [
    ['unique violation', (code) => `insert into auth_company (code, name) values ('${code}', 'Dup')`, 'CONFLICT'],
    ['check violation', () => `insert into auth_company (code, name) values ('lower-case', 'Bad code')`, 'BUSINESS_RULE'],
    ['not-null violation', () => `insert into auth_company (code, name) values ('NONAME1', null)`, 'VALIDATION_FAILED'],
    ['bad text representation', () => `select 'abc'::bigint`, 'VALIDATION_FAILED'],
    ['permission denied (the app role writing master data)', () => `insert into city (code, province_code, name) values ('99.99', '99', 'x')`, 'FORBIDDEN'],
    ['statement timeout', () => `set local statement_timeout = 10; select pg_sleep(1)`, 'DEPENDENCY_UNAVAILABLE'],
  ];
  for (const [name, sql, code] of cases) {
    it(`${name} → ${code}`, async () => {
      const existing = await createCompany();
      await assert.rejects(
        withTransaction(superAdmin, (tx) => tx.query(sql(existing.code))),
        (err: unknown) => isAppError(err) && err.code === code && !err.message.includes('insert'),
      );
    });
  }

  it('leaves programming errors as they are (they become a 500 without detail)', async () => {
    await assert.rejects(withTransaction(superAdmin, (tx) => tx.query('select * from no_such_table')), (err: unknown) => !isAppError(err));
  });
});
