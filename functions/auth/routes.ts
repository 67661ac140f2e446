import type { AnyRoute } from '../../shared/http/route.js';
import { healthRoute } from '../../shared/http/health.js';
import { listCompaniesRoute } from './companies/companies.routes.js';
import { loginRoute } from './login/login.routes.js';
import { registerRoute, verifyUniqueRoute } from './register/register.routes.js';
import { resendOtpRoute, verifyOtpRoute } from './otp/otp.routes.js';
import { changeSettingRoute, resetPasswordRoute, setPasswordPageRoute, setPasswordRoute } from './password/password.routes.js';
import { listSessionsRoute, logoutGetRoute, logoutPostRoute, refreshTokenRoute, revokeSessionRoute } from './sessions/sessions.routes.js';
import { companyIdsRoute, meRoute } from './me/me.routes.js';
import { listNotificationsRoute, markNotificationReadRoute, registerPushTokenRoute, unsubscribePushRoute } from './notifications/notifications.routes.js';
import { csrfRoute, jwksRoute } from './keys/keys.routes.js';
import { createUserRoute, deleteUserRoute, getUserRoute, listUsersRoute, updateUserRoute } from './user-admin/user-admin.routes.js';
import { activeOrDeRoute, approveOrRejectRoute, resendInviteRoute } from './user-admin/user-review.routes.js';
import { companyActiveOrDeRoute, createCompanyRoute, getCompanyRoute, listCompaniesAdminRoute, updateCompanyRoute } from './companies/company-admin.routes.js';
import { listAuditLogsRoute } from './audit/audit-logs.routes.js';

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
  setPasswordRoute,
  setPasswordPageRoute,
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
  // Identity (admins)
  listUsersRoute,
  createUserRoute,
  getUserRoute,
  updateUserRoute,
  deleteUserRoute,
  approveOrRejectRoute,
  activeOrDeRoute,
  resendInviteRoute,
  listCompaniesAdminRoute,
  createCompanyRoute,
  getCompanyRoute,
  updateCompanyRoute,
  companyActiveOrDeRoute,
  listAuditLogsRoute,
];
