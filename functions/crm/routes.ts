import type { AnyRoute } from '../../shared/http/route.js';
import { healthRoute } from '../../shared/http/health.js';
import { listBanksRoute, listLocationsRoute } from './master-data/master-data.routes.js';

/** Every route the crm function serves; the gateway spec and /docs are generated from this table. */
export const crmRoutes: readonly AnyRoute[] = [healthRoute('crm', 'CRM'), listBanksRoute, listLocationsRoute];
