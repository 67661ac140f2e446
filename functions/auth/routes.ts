import type { AnyRoute } from '../../shared/http/route.js';
import { healthRoute } from '../../shared/http/health.js';
import { listCompaniesRoute } from './companies/companies.routes.js';

/** Every route the auth function serves (/auth/* and /idty/*). */
export const authRoutes: readonly AnyRoute[] = [healthRoute('auth', 'Auth'), listCompaniesRoute];
