import { z } from 'zod';
import { envValue } from '../shared/config.js';
import { bootstrapDatabase } from '../shared/db/bootstrap.js';

/**
 * `npm run db:bootstrap`: once per environment, as the database administrator, creates the owner and app
 * roles and the database (safe to run again; it resets the two roles' passwords to the given ones).
 */
const env = z
  .object({
    DATABASE_ADMIN_URL: z.string().min(1),
    DATABASE_NAME: z.string().regex(/^[a-z_][a-z0-9_]*$/).default('rmtools'),
    DB_OWNER_PASSWORD: z.string().min(16),
    DB_APP_PASSWORD: z.string().min(16),
  })
  .safeParse(Object.fromEntries(['DATABASE_ADMIN_URL', 'DATABASE_NAME', 'DB_OWNER_PASSWORD', 'DB_APP_PASSWORD'].map((k) => [k, envValue(k)])));
if (!env.success) {
  console.error(`db:bootstrap needs ${env.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  process.exit(2);
}
await bootstrapDatabase({
  adminUrl: env.data.DATABASE_ADMIN_URL,
  database: env.data.DATABASE_NAME,
  ownerPassword: env.data.DB_OWNER_PASSWORD,
  appPassword: env.data.DB_APP_PASSWORD,
});
console.log(`database ${env.data.DATABASE_NAME} and roles rmtools_owner, rmtools_app are ready`);
