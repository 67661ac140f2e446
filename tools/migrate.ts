import { config } from '../shared/config.js';
import { migrate } from '../shared/db/migrate.js';
import { loadAreaData } from '../shared/db/master-data.js';

/**
 * `npm run migrate`: applies pending migrations and loads master data, as the owner role
 * (DATABASE_OWNER_URL). In the cloud this runs from a machine or job inside the VPC before a deploy.
 */
const ownerUrl = config().DATABASE_OWNER_URL;
if (!ownerUrl) {
  console.error('Set DATABASE_OWNER_URL to the owner role’s connection string.');
  process.exit(2);
}
const result = await migrate(ownerUrl);
const areas = await loadAreaData(ownerUrl);
console.log(`migrations: ${result.applied.length} applied, ${result.total} in total; areas ${areas.loaded ? 'loaded' : 'unchanged'}`);
