import { httpFunction, scheduledFunction, type FunctionDef } from '../../shared/runtime/functions.js';
import { authenticateAccessToken } from '../../shared/auth/authenticate.js';
import { authRoutes } from './routes.js';
import { purgeAuthRecords } from './housekeeping/purge-auth-records.js';

export const authFunctions: readonly FunctionDef[] = [
  httpFunction('auth', authRoutes, { authenticate: authenticateAccessToken }),
  scheduledFunction({ name: 'purgeAuthRecords', schedule: '17 * * * *', timeZone: 'Asia/Jakarta', run: purgeAuthRecords }),
];
