import { bootstrapDatabase, appRole, ownerRole, roleUrl } from '../../shared/db/bootstrap.js';
import { migrate } from '../../shared/db/migrate.js';
import { loadAreaData } from '../../shared/db/master-data.js';

/**
 * Brings a database to the current schema: roles and database (bootstrap, as admin), migrations and master
 * data (as the owner). Returns the URLs for the owner and for the app role.
 */
export interface PreparedDatabase {
  ownerUrl: string;
  appUrl: string;
  applied: string[];
  areasLoaded: boolean;
}

export interface PrepareOptions {
  adminUrl: string;
  database: string;
  ownerPassword: string;
  appPassword: string;
}

export async function prepareDatabase(opts: PrepareOptions): Promise<PreparedDatabase> {
  await bootstrapDatabase(opts);
  const ownerUrl = roleUrl(opts.adminUrl, ownerRole, opts.ownerPassword, opts.database);
  const appUrl = roleUrl(opts.adminUrl, appRole, opts.appPassword, opts.database);
  const { applied } = await migrate(ownerUrl);
  const areas = await loadAreaData(ownerUrl);
  return { ownerUrl, appUrl, applied, areasLoaded: areas.loaded };
}
