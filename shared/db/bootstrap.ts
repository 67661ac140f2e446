import pg from 'pg';

/**
 * The two database roles (DESIGN §5): the owner runs migrations and owns every object; the app role, which the
 * functions connect as, owns nothing, cannot bypass RLS and gets only the grants the migrations give it.
 * Run once per database by an administrator (the embedded superuser locally, the Cloud SQL admin user in the
 * cloud): it creates the roles and the database if they are missing and is safe to run again.
 */
export const ownerRole = 'rmtools_owner';
export const appRole = 'rmtools_app';

export interface BootstrapOptions {
  adminUrl: string;
  database: string;
  ownerPassword: string;
  appPassword: string;
}

export async function bootstrapDatabase(opts: BootstrapOptions): Promise<void> {
  const admin = new pg.Client({ connectionString: opts.adminUrl });
  await admin.connect();
  try {
    await ensureRole(admin, ownerRole, opts.ownerPassword, 'login nosuperuser nocreaterole nocreatedb nobypassrls');
    await ensureRole(admin, appRole, opts.appPassword, 'login nosuperuser nocreaterole nocreatedb nobypassrls noinherit');
    // A non-superuser admin (Cloud SQL's postgres user) must be a member of the owner role to create a
    // database owned by it and hand it the public schema (PostgreSQL 16+).
    await admin.query(`grant ${ownerRole} to current_user`);
    const exists = await admin.query('select 1 from pg_database where datname = $1::text', [opts.database]);
    if (exists.rowCount === 0) {
      await admin.query(`create database ${admin.escapeIdentifier(opts.database)} owner ${ownerRole} encoding 'UTF8'`);
    }
    await admin.query(`revoke all on database ${admin.escapeIdentifier(opts.database)} from public`);
    await admin.query(`grant connect, temporary on database ${admin.escapeIdentifier(opts.database)} to ${appRole}`);
  } finally {
    await admin.end();
  }
  // The public schema belongs to the owner, so the app role cannot create objects in it.
  const url = new URL(opts.adminUrl);
  url.pathname = `/${opts.database}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  try {
    await db.query(`alter schema public owner to ${ownerRole}`);
    await db.query('revoke create on schema public from public');
    await db.query(`grant usage on schema public to ${appRole}`);
  } finally {
    await db.end();
  }
}

async function ensureRole(client: pg.Client, role: string, password: string, attributes: string): Promise<void> {
  const found = await client.query('select 1 from pg_roles where rolname = $1::text', [role]);
  const verb = found.rowCount === 0 ? 'create' : 'alter';
  // Role DDL takes no bind parameters; the password is quoted as a literal by the driver's escaper.
  await client.query(`${verb} role ${role} with ${attributes} password ${client.escapeLiteral(password)}`);
}

/** `postgres://user:pass@host:port/db` for one of the roles, from the admin URL's host and port. */
export function roleUrl(adminUrl: string, role: string, password: string, database: string): string {
  const url = new URL(adminUrl);
  url.username = role;
  url.password = encodeURIComponent(password);
  url.pathname = `/${database}`;
  return url.toString();
}
