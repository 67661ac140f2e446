import { authenticateAccessToken } from '../../shared/auth/authenticate.js';
import { httpFunction, type FunctionDef } from '../../shared/runtime/functions.js';
import { crmRoutes } from './routes.js';

export const crmFunctions: readonly FunctionDef[] = [httpFunction('crm', crmRoutes, { authenticate: authenticateAccessToken })];
