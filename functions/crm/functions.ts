import { authenticateAccessToken } from '../../shared/auth/authenticate.js';
import { httpFunction, scheduledFunction, type FunctionDef } from '../../shared/runtime/functions.js';
import { expireInstructionLinks } from './instructions/expire-instruction-links.js';
import { crmRoutes } from './routes.js';

export const crmFunctions: readonly FunctionDef[] = [
  httpFunction('crm', crmRoutes, { authenticate: authenticateAccessToken }),
  scheduledFunction({ name: 'expireInstructionLinks', schedule: '*/5 * * * *', timeZone: 'Asia/Jakarta', run: expireInstructionLinks }),
];
