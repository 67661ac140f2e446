import type { AnyRoute } from '../../shared/http/route.js';
import { healthRoute } from '../../shared/http/health.js';
import { listCompaniesRoute } from './companies/companies.routes.js';
import { loginRoute } from './login/login.routes.js';
import { registerRoute, verifyUniqueRoute } from './register/register.routes.js';
import { resendOtpRoute, verifyOtpRoute } from './otp/otp.routes.js';
import { changeSettingRoute, resetPasswordRoute } from './password/password.routes.js';
import { listSessionsRoute, logoutGetRoute, logoutPostRoute, refreshTokenRoute, revokeSessionRoute } from './sessions/sessions.routes.js';
import { companyIdsRoute, meRoute } from './me/me.routes.js';
import { listNotificationsRoute, markNotificationReadRoute, registerPushTokenRoute, unsubscribePushRoute } from './notifications/notifications.routes.js';
import { csrfRoute, jwksRoute } from './keys/keys.routes.js';

/** Every route the auth function serves (/auth/* and /idty/*). */
export const authRoutes: readonly AnyRoute[] = [
  healthRoute('auth', 'Auth'),
  listCompaniesRoute,
  registerRoute,
  verifyOtpRoute,
  resendOtpRoute,
  loginRoute,
  refreshTokenRoute,
  logoutGetRoute,
  logoutPostRoute,
  resetPasswordRoute,
  changeSettingRoute,
  verifyUniqueRoute,
  meRoute,
  companyIdsRoute,
  listSessionsRoute,
  revokeSessionRoute,
  listNotificationsRoute,
  markNotificationReadRoute,
  registerPushTokenRoute,
  unsubscribePushRoute,
  jwksRoute,
  csrfRoute,
];
