import { auth, bearer, freshIp, signIn } from './auth.js';
import { createCompany } from './owner.js';

/** Helpers of the identity-admin tests (functions/auth/user-admin). */
export type Licence = { number: string; expiresOn: string };
export const validLicence: Licence = { number: 'WPR-123/OJK/2024', expiresOn: '2099-12-31' };
export const expiredLicence: Licence = { number: 'WPR-456/OJK/2019', expiresOn: '2020-01-01' };

/** Each call from an address of its own: the per-IP limits must not count the whole run together. */
export const login = (identifier: string, password: string, deviceId: string, ip = freshIp()) =>
  auth().post('/auth/login').set('X-Forwarded-For', ip).send({ identifier, password, deviceId });
export const me = (token: string) => auth().get('/auth/me').set(bearer(token));
export const refresh = (refreshToken: string) => auth().post('/auth/refresh-token').set('X-Forwarded-For', freshIp()).send({ refreshToken });

/** A fresh company and a signed-in admin of it. */
export async function adminOfNewCompany() {
  const company = await createCompany();
  const admin = await signIn({ companyId: company.id, role: 'ADMIN' });
  return { company, admin };
}
