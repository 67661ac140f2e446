import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ownerRole, roleUrl, appRole } from '../../shared/db/bootstrap.js';

/** Settings of the test cluster, filled in by the root hooks (test/hooks.ts). */
export const testCluster = {
  adminUrl: '',
  template: '',
  ownerPassword: 'test-owner-password',
  appPassword: 'test-app-password',
};

export interface ScratchDatabase {
  name: string;
  ownerUrl: string;
  appUrl: string;
  adminUrl: string;
  drop(): Promise<void>;
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testCluster.adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own for a suite, cloned from the migrated template (fast: a file copy), or empty when
 * the suite tests migrations themselves.
 */
export async function scratchDatabase(opts: { empty?: boolean } = {}): Promise<ScratchDatabase> {
  const name = `rmtools_t_${randomBytes(5).toString('hex')}`;
  const from = opts.empty ? 'template0' : testCluster.template;
  await adminQuery(`create database ${name} template ${from} owner ${ownerRole}`);
  if (opts.empty) {
    const url = new URL(testCluster.adminUrl);
    url.pathname = `/${name}`;
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    await c.query(`alter schema public owner to ${ownerRole}; revoke create on schema public from public; grant usage on schema public to ${appRole}`);
    await c.query(`grant connect, temporary on database ${name} to ${appRole}`);
    await c.end();
  } else {
    await adminQuery(`grant connect, temporary on database ${name} to ${appRole}`);
  }
  const url = new URL(testCluster.adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    adminUrl: url.toString(),
    ownerUrl: roleUrl(testCluster.adminUrl, ownerRole, testCluster.ownerPassword, name),
    appUrl: roleUrl(testCluster.adminUrl, appRole, testCluster.appPassword, name),
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}
